/**
 * The EU member states other than Denmark: where One Stop VAT applies to a private customer. Rackbeat's
 * `address_country` is free text (rackbeat-api.md lists only the field), so a country is recognised by
 * its ISO code or its English, Danish or own name.
 */
export const ONE_STOP_VAT_COUNTRIES = {
  AT: ["austria", "østrig", "österreich"],
  BE: ["belgium", "belgien", "belgië", "belgique"],
  BG: ["bulgaria", "bulgarien", "българия"],
  CY: ["cyprus", "cypern", "κύπρος"],
  CZ: ["czech republic", "czechia", "tjekkiet", "česko"],
  DE: ["germany", "tyskland", "deutschland"],
  EE: ["estonia", "estland", "eesti"],
  ES: ["spain", "spanien", "españa"],
  FI: ["finland", "suomi"],
  FR: ["france", "frankrig"],
  GR: ["greece", "grækenland", "ελλάδα"],
  HR: ["croatia", "kroatien", "hrvatska"],
  HU: ["hungary", "ungarn", "magyarország"],
  IE: ["ireland", "irland", "éire"],
  IT: ["italy", "italien", "italia"],
  LT: ["lithuania", "litauen", "lietuva"],
  LU: ["luxembourg", "luxemburg"],
  LV: ["latvia", "letland", "latvija"],
  MT: ["malta"],
  NL: ["netherlands", "the netherlands", "holland", "nederland", "nederlandene"],
  PL: ["poland", "polen", "polska"],
  PT: ["portugal"],
  RO: ["romania", "rumænien", "românia"],
  SE: ["sweden", "sverige"],
  SI: ["slovenia", "slovenien", "slovenija"],
  SK: ["slovakia", "slovakiet", "slovensko"],
} as const;
export type OneStopVatCountry = keyof typeof ONE_STOP_VAT_COUNTRIES;
export const ONE_STOP_VAT_COUNTRY_CODES = Object.keys(ONE_STOP_VAT_COUNTRIES) as OneStopVatCountry[];

/** The EU country (not Denmark) a free-text country names, or undefined. */
export function oneStopVatCountryOf(text: string | undefined): OneStopVatCountry | undefined {
  const t = text?.trim().toLowerCase();
  if (!t) return undefined;
  const upper = t.toUpperCase();
  if (upper in ONE_STOP_VAT_COUNTRIES) return upper as OneStopVatCountry;
  return ONE_STOP_VAT_COUNTRY_CODES.find((code) =>
    (ONE_STOP_VAT_COUNTRIES[code] as readonly string[]).includes(t),
  );
}
