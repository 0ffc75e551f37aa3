/** Deterministic pseudo-random numbers, so every emulator start seeds the same demo company. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    /** A price with exactly two decimals, as a string-safe number. */
    price: (min: number, max: number) => Math.round((min + next() * (max - min)) * 100) / 100,
  };
}

export const DANISH_CITIES = [
  ["8000", "Aarhus C"],
  ["2100", "København Ø"],
  ["5000", "Odense C"],
  ["9000", "Aalborg"],
  ["6700", "Esbjerg"],
  ["7100", "Vejle"],
  ["8600", "Silkeborg"],
  ["4000", "Roskilde"],
  ["7400", "Herning"],
  ["6000", "Kolding"],
  ["8700", "Horsens"],
  ["3400", "Hillerød"],
  ["4700", "Næstved"],
  ["8900", "Randers"],
  ["2800", "Kongens Lyngby"],
] as const;
export const STREETS = [
  "Industrivej",
  "Havnegade",
  "Vestergade",
  "Nørregade",
  "Lagervej",
  "Fabriksvej",
  "Strandvejen",
  "Søndergade",
  "Engvej",
  "Bygaden",
] as const;
export const COMPANY_WORDS = [
  "Nordisk",
  "Jysk",
  "Fyns",
  "Dansk",
  "Sjællands",
  "Vestkyst",
  "Østjysk",
  "Limfjords",
  "Bornholms",
  "Midtjysk",
] as const;
export const COMPANY_KINDS = [
  "Byggemarked",
  "VVS",
  "El-teknik",
  "Tømrer",
  "Maskinhandel",
  "Isenkram",
  "Trælast",
  "Værktøj",
  "Marine",
  "Landbrug",
] as const;
export const COMPANY_SUFFIX = ["ApS", "A/S", "I/S", "& Søn ApS", "Handel A/S"] as const;
export const PRODUCT_NOUNS = [
  "Skrue",
  "Bolt",
  "Møtrik",
  "Skive",
  "Beslag",
  "Hængsel",
  "Rør",
  "Fitting",
  "Kabel",
  "Stik",
  "Lampe",
  "Boremaskine",
  "Savklinge",
  "Handske",
  "Hjelm",
  "Lim",
  "Maling",
  "Pensel",
  "Stige",
  "Tape",
] as const;
export const PRODUCT_ADJ = [
  "galvaniseret",
  "rustfri",
  "sort",
  "hvid",
  "kraftig",
  "lille",
  "stor",
  "professionel",
  "kompakt",
  "udendørs",
] as const;
