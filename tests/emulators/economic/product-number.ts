/**
 * e-conomic's product-number URL scheme, decoded from the raw path segment (economic-api.md §2).
 * A plain %2F or %20 is refused with 404, as the real service does.
 */
const TOKENS: Record<string, string> = {
  "0": "<",
  "1": ">",
  "2": "*",
  "3": "%",
  "4": ":",
  "5": "&",
  "6": "/",
  "7": "\\",
  "8": "_",
  "9": " ",
  "10": "?",
  "11": ".",
  "12": "#",
  "13": "+",
};

export function decodeProductNumber(rawSegment: string): string | undefined {
  if (/%2F|%20/i.test(rawSegment)) return undefined;
  try {
    return rawSegment
      .split(/(_\d{1,2}_)/)
      .map((part) => {
        const m = /^_(\d{1,2})_$/.exec(part);
        if (m && TOKENS[m[1]] !== undefined) return TOKENS[m[1]];
        return decodeURIComponent(part);
      })
      .join("");
  } catch {
    return undefined;
  }
}

/** The raw (still encoded) last path segment after `prefix`. */
export function rawSegmentAfter(url: string, prefix: string): string {
  const path = new URL(url).pathname;
  return path.slice(path.indexOf(prefix) + prefix.length).split("/")[0];
}

const CHAR_TO_TOKEN = new Map(Object.entries(TOKENS).map(([n, ch]) => [ch, `_${n}_`]));

/** The form e-conomic itself uses in `self` links. */
export function encodeProductNumber(productNumber: string): string {
  return [...productNumber].map((ch) => CHAR_TO_TOKEN.get(ch) ?? encodeURIComponent(ch)).join("");
}
