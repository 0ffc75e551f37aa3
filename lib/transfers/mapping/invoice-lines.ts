import { decimalsOf, fromOre, lineNetOre, toOre } from "@/lib/money";

/** A Rackbeat invoice line, as far as the amounts go (rackbeat-api.md §6, "Customer invoices"). */
export type RackbeatLine = {
  child_id: string;
  name: string;
  quantity: number;
  line_price: number;
  discount_percentage?: number;
};

export type EconomicLine = {
  lineNumber: number;
  product: { productNumber: string };
  description: string;
  quantity: number;
  unitNetPrice: number;
  discountPercentage?: number;
};

/** Why a line was sent in another shape than Rackbeat's, for the transfer's detail. */
export type Reshape = {
  line: number;
  reason: "price_decimals" | "rounding" | "total_only";
  difference?: number;
};

/**
 * Rackbeat's lines as e-conomic draft lines whose totals add up to exactly Rackbeat's subtotal.
 *
 * e-conomic takes at most two decimals on `unitNetPrice` and rounds each line to øre, while Rackbeat
 * prices have up to six decimals and Rackbeat rounds once, at the invoice. So:
 * - with "use actual quantity", a line keeps its quantity, price and discount when the price has at most
 *   two decimals; otherwise it is sent as quantity 1 at its exact line total;
 * - without it, every line is quantity 1 at its line total;
 * - any øre left between the sum of e-conomic's line totals and Rackbeat's subtotal is put on the
 *   largest line (sent as quantity 1 at its total), and said so.
 * Every reshaped line is listed in `reshaped`; the description keeps "quantity × price" for the reader.
 */
export function mapInvoiceLines(
  lines: RackbeatLine[],
  subtotal: number | string,
  useActualQuantity: boolean,
): { lines: EconomicLine[]; reshaped: Reshape[] } {
  const reshaped: Reshape[] = [];
  const mapped = lines.map((l, i) => {
    const discount = l.discount_percentage ?? 0;
    const total = lineNetOre(l.quantity, l.line_price, discount);
    const keep = useActualQuantity && decimalsOf(l.line_price) <= 2;
    if (!keep) reshaped.push({ line: i + 1, reason: useActualQuantity ? "price_decimals" : "total_only" });
    return { source: l, total, keep };
  });
  const target = toOre(subtotal);
  const sum = mapped.reduce((s, m) => s + m.total, 0n);
  const difference = target - sum;
  if (difference !== 0n && mapped.length) {
    let largest = 0;
    for (let i = 1; i < mapped.length; i++)
      if (abs(mapped[i].total) > abs(mapped[largest].total)) largest = i;
    mapped[largest].total += difference;
    if (mapped[largest].keep) mapped[largest].keep = false;
    const existing = reshaped.find((r) => r.line === largest + 1);
    if (existing) existing.difference = fromOre(difference);
    else reshaped.push({ line: largest + 1, reason: "rounding", difference: fromOre(difference) });
  }
  return {
    lines: mapped.map(({ source, total, keep }, i) => {
      const discount = source.discount_percentage ?? 0;
      return keep
        ? {
            lineNumber: i + 1,
            product: { productNumber: source.child_id },
            description: source.name,
            quantity: source.quantity,
            unitNetPrice: source.line_price,
            ...(discount ? { discountPercentage: discount } : {}),
          }
        : {
            lineNumber: i + 1,
            product: { productNumber: source.child_id },
            description: `${source.name} (${source.quantity} × ${source.line_price}${discount ? ` − ${discount} %` : ""})`,
            quantity: 1,
            unitNetPrice: fromOre(total),
          };
    }),
    reshaped: reshaped.sort((a, b) => a.line - b.line),
  };
}

const abs = (n: bigint) => (n < 0n ? -n : n);
