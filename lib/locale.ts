/** The languages the app speaks. Danish for browsers that ask for it first, English otherwise. */
export const LOCALES = ["en", "da"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

export function localeFromAcceptLanguage(acceptLanguage: string | null | undefined): Locale {
  const first = (acceptLanguage ?? "").split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("da") ? "da" : DEFAULT_LOCALE;
}

/** A stored language (an installation's contact), Danish when unknown: the customers are Danish wholesalers. */
export const localeOf = (stored: string | null | undefined): Locale =>
  (LOCALES as readonly string[]).includes(stored ?? "") ? (stored as Locale) : "da";
