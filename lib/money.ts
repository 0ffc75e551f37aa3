/**
 * Exact money for the mappings: amounts as decimal strings or numbers → integer units at a given scale,
 * never floating point. Rackbeat prices have up to 6 decimals; e-conomic's unitNetPrice at most 2.
 */

/** A decimal as an integer mantissa and its scale (number of decimals): 12.345 → { 12345n, 3 }. */
export function decimal(value: number | string): { mantissa: bigint; scale: number } {
  let s = typeof value === "number" ? String(value) : value.trim();
  if (/e/i.test(s)) s = Number(s).toFixed(12).replace(/0+$/, "").replace(/\.$/, "");
  if (!/^-?\d+(\.\d+)?$/.test(s)) throw new RangeError(`not a decimal: ${value}`);
  const negative = s.startsWith("-");
  const [int, frac = ""] = s.replace("-", "").split(".");
  return { mantissa: BigInt(int + frac) * (negative ? -1n : 1n), scale: frac.length };
}

/** numerator / denominator rounded half away from zero. */
export function roundDiv(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (2n * d);
  return negative ? -q : q;
}

/** An amount in øre (hundredths), rounded half away from zero. */
export const toOre = (value: number | string): bigint => {
  const { mantissa, scale } = decimal(value);
  return scale <= 2 ? mantissa * 10n ** BigInt(2 - scale) : roundDiv(mantissa, 10n ** BigInt(scale - 2));
};

/** øre → a number with at most two decimals, exact for every amount this app handles (< 2^53 øre). */
export const fromOre = (ore: bigint): number => Number(ore) / 100;

/** How many decimals a number has as written (12.50 → 1, 1e-7 → 7). */
export const decimalsOf = (value: number | string) => decimal(value).scale;

/**
 * quantity × price × (100 − discount%) / 100 in øre, rounded once: the net of one invoice line, computed
 * from the decimals as written.
 */
export function lineNetOre(
  quantity: number | string,
  price: number | string,
  discountPercentage: number | string = 0,
) {
  const q = decimal(quantity);
  const p = decimal(price);
  const d = decimal(discountPercentage);
  const hundredMinusD = 100n * 10n ** BigInt(d.scale) - d.mantissa;
  const numerator = q.mantissa * p.mantissa * hundredMinusD * 100n;
  const denominator = 10n ** BigInt(q.scale + p.scale + d.scale) * 100n;
  return roundDiv(numerator, denominator);
}
