/**
 * e-conomic's URL scheme for product numbers (economic-api.md §2): a fixed set of characters is
 * replaced by `_n_` tokens in a single pass, everything else is URL-encoded. A plain %2F or %20 is
 * refused by e-conomic, so encodeURIComponent alone is not enough.
 */
const REPLACEMENTS: Record<string, string> = {
  "<": "_0_",
  ">": "_1_",
  "*": "_2_",
  "%": "_3_",
  ":": "_4_",
  "&": "_5_",
  "/": "_6_",
  "\\": "_7_",
  _: "_8_",
  " ": "_9_",
  "?": "_10_",
  ".": "_11_",
  "#": "_12_",
  "+": "_13_",
};

export function encodeProductNumber(productNumber: string): string {
  let out = "";
  for (const ch of productNumber) out += REPLACEMENTS[ch] ?? encodeURIComponent(ch);
  return out;
}
