/**
 * Which e-conomic number stands for which Rackbeat value. Payment terms, units, groups and VAT zones are
 * numbered per agreement in e-conomic and per account in Rackbeat (economic-constraints.md, "Numbers are
 * per system"): an equal number means nothing, and one that happens to exist applies the wrong terms,
 * unit or VAT without a word. So every such value is matched explicitly, in a table per kind that the
 * settings page prefills where the names agree and the bookkeeper confirms or changes.
 */

/** Rackbeat's VAT zones are names, not numbers (rackbeat-api.md §8: `domestic` confirmed, `eu`/`abroad` seen). */
export const RACKBEAT_VAT_ZONES = ["domestic", "eu", "abroad", "exempt"] as const;
export type RackbeatVatZone = (typeof RACKBEAT_VAT_ZONES)[number];

export const MAPPING_KINDS = [
  "vatZones",
  "paymentTerms",
  "units",
  "productGroups",
  "customerGroups",
] as const;
export type MappingKind = (typeof MAPPING_KINDS)[number];

/** Rackbeat value (a zone name, or a number as a string) → e-conomic number as a string ("" = not chosen). */
export type Mappings = Record<MappingKind, Record<string, string>>;

export const emptyMappings = (): Mappings => ({
  vatZones: {},
  paymentTerms: {},
  units: {},
  productGroups: {},
  customerGroups: {},
});

/**
 * What e-conomic agreements call each kind of VAT zone, in the languages the app meets (e-conomic names
 * them per agreement; only 1 = Domestic is documented). Compared after `normalName`.
 */
const VAT_ZONE_NAMES: Record<RackbeatVatZone, string[]> = {
  domestic: ["domestic", "indland", "indenlandsk", "indenlands", "danmark", "inland", "innenland"],
  eu: ["eu", "eulande", "eulandene", "europe", "europeanunion"],
  abroad: ["abroad", "udland", "udlandet", "foreign", "noneu", "restofworld", "world", "utland"],
  exempt: ["exempt", "vatexempt", "momsfri", "momsfritaget", "fritaget", "taxexempt"],
};

/** Lower case, without accents, spaces or punctuation: "Løbende måned + 30" ≈ "løbende måned+30". */
export const normalName = (name: string) =>
  name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9æøå]/g, "");

export type Named = { number: number; name: string };

/** The Rackbeat VAT zone an e-conomic zone's name says it is, if any. */
export function rackbeatZoneNamed(name: string): RackbeatVatZone | undefined {
  const n = normalName(name);
  return RACKBEAT_VAT_ZONES.find((zone) => VAT_ZONE_NAMES[zone].includes(n));
}

/** e-conomic number → the one Rackbeat value matched with it, for the e-conomic → Rackbeat direction. */
export function invertMapping(map: Record<string, string>): Map<string, string> {
  const seen = new Map<string, string[]>();
  for (const [rackbeat, economic] of Object.entries(map))
    if (economic) seen.set(economic, [...(seen.get(economic) ?? []), rackbeat]);
  return new Map([...seen].filter(([, keys]) => keys.length === 1).map(([e, [r]]) => [e, r]));
}

/** The one entry of `items` whose name agrees with `name`, if exactly one does. */
export function sameName<T extends Named>(items: T[], name: string | undefined): T | undefined {
  const wanted = normalName(name ?? "");
  if (!wanted) return undefined;
  const hits = items.filter((i) => normalName(i.name) === wanted);
  return hits.length === 1 ? hits[0] : undefined;
}

function vatZoneByName(zone: RackbeatVatZone, economic: Named[]): string | undefined {
  const names = new Set(VAT_ZONE_NAMES[zone]);
  const hits = economic.filter((e) => names.has(normalName(e.name)));
  return hits.length === 1 ? String(hits[0].number) : undefined;
}

export type MappingLists = {
  economic: Record<MappingKind, Named[]>;
  rackbeat: Record<Exclude<MappingKind, "vatZones">, Named[]>;
};

/**
 * The tables as the settings page shows them: what is saved stays; every Rackbeat value not yet matched
 * gets the e-conomic entry of the same name when exactly one has it (never the same number). Returns the
 * suggestions apart, so the page can mark them for the bookkeeper to confirm.
 */
export function prefillMappings(
  saved: Mappings,
  lists: MappingLists,
): { values: Mappings; suggested: Record<MappingKind, string[]> } {
  const values = emptyMappings();
  const suggested: Record<MappingKind, string[]> = {
    vatZones: [],
    paymentTerms: [],
    units: [],
    productGroups: [],
    customerGroups: [],
  };
  const fill = (kind: MappingKind, key: string, guess: () => string | undefined) => {
    const kept = saved[kind][key];
    if (kept) values[kind][key] = kept;
    else {
      const found = guess();
      values[kind][key] = found ?? "";
      if (found) suggested[kind].push(key);
    }
  };
  for (const zone of RACKBEAT_VAT_ZONES)
    fill("vatZones", zone, () => vatZoneByName(zone, lists.economic.vatZones));
  for (const kind of ["paymentTerms", "units", "productGroups", "customerGroups"] as const)
    for (const item of lists.rackbeat[kind])
      fill(kind, String(item.number), () => {
        const found = sameName(lists.economic[kind], item.name);
        return found && String(found.number);
      });
  return { values, suggested };
}
