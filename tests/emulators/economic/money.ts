/** Exact decimal arithmetic for the emulator's totals: numbers → scaled BigInt, rounded half away from zero. */
function parts(n: number): { mantissa: bigint; scale: number } {
  let s = String(n);
  if (/e/i.test(s)) s = n.toFixed(20).replace(/0+$/, "");
  const negative = s.startsWith("-");
  const [int, frac = ""] = s.replace("-", "").split(".");
  const mantissa = BigInt(int + frac) * (negative ? -1n : 1n);
  return { mantissa, scale: frac.length };
}

function roundDiv(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (2n * d);
  return negative ? -q : q;
}

/** q × price × (100 − discount%) / 100, in øre (hundredths). */
export function lineNetCents(quantity: number, unitNetPrice: number, discountPercentage = 0): bigint {
  const q = parts(quantity);
  const p = parts(unitNetPrice);
  // (100 − discount) in decimals too: 100 − 99.95 in floating point is 0.04999999999999716.
  const discount = parts(discountPercentage);
  const d = { mantissa: 100n * 10n ** BigInt(discount.scale) - discount.mantissa, scale: discount.scale };
  const numerator = q.mantissa * p.mantissa * d.mantissa * 100n;
  const denominator = 10n ** BigInt(q.scale + p.scale + d.scale) * 100n;
  return roundDiv(numerator, denominator);
}

export function percentOf(cents: bigint, percent: number): bigint {
  const p = parts(percent);
  return roundDiv(cents * p.mantissa, 100n * 10n ** BigInt(p.scale));
}

export const centsToNumber = (cents: bigint) => Number(cents) / 100;
