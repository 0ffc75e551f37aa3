import { message, type Message } from "@/lib/messages";
import { fromOre, lineNetOre, toOre } from "@/lib/money";
import { UNCERTAIN } from "@/lib/uncertain";

/** An e-conomic order as GET /orders/sent/:n shows it (slate _orders.md), as far as we read it. */
export type EconomicOrder = {
  orderNumber: number;
  date: string;
  currency: string;
  exchangeRate?: number;
  customer: { customerNumber: number };
  netAmount: number;
  notes?: { heading?: string; textLine1?: string; textLine2?: string };
  references?: { other?: string };
  lines?: EconomicOrderLine[];
};
export type EconomicOrderLine = {
  lineNumber?: number;
  description?: string;
  product?: { productNumber: string };
  quantity?: number;
  unitNetPrice?: number;
  discountPercentage?: number;
};

export type RackbeatOrderLine = {
  child_id: string;
  name: string;
  quantity: number;
  line_price: number;
  discount_percentage?: number;
};

export type MappedOrder =
  | {
      ok: true;
      body: Record<string, unknown> & { customer_id: number; lines: RackbeatOrderLine[] };
      /** The net of the lines as Rackbeat will price them, in øre: equal to e-conomic's netAmount. */
      netOre: bigint;
      textLines: number;
      emptyLines: number;
    }
  | { ok: false; failure: "empty_line_product" | "only_text" | "totals_differ"; message: Message };

/** What a Rackbeat order says of the e-conomic order it came from: how a repeated attempt finds it. */
export const orderSourceText = (orderNumber: number) => UNCERTAIN.rackbeat.orderSource.text(orderNumber);

/** A line with neither quantity nor price is text (e-conomic's comment lines): it has nothing to pick. */
const isText = (l: EconomicOrderLine) => !l.product && !l.quantity && !l.unitNetPrice;

/**
 * An e-conomic order → the body of Rackbeat's POST /orders. Each product line keeps its product, text,
 * quantity, unit price and discount; a priced line without a product gets the configured empty-line
 * product with its own text (Rackbeat always needs a product on a line); text lines, which Rackbeat has
 * no place for, go into the order's note, after e-conomic's own text lines. Refused: a priced line
 * without a product when no empty-line product is set (naming the setting), an order with nothing but
 * text, and an order whose lines would not add up to e-conomic's net amount to the øre.
 */
export function mapEconomicOrder(order: EconomicOrder, emptyLineProduct: string): MappedOrder {
  const lines: RackbeatOrderLine[] = [];
  const text: string[] = [];
  let emptyLines = 0;
  let netOre = 0n;
  for (const [i, line] of (order.lines ?? []).entries()) {
    if (isText(line)) {
      if (line.description?.trim()) text.push(line.description.trim());
      continue;
    }
    let product = line.product?.productNumber;
    if (!product) {
      if (!emptyLineProduct)
        return {
          ok: false,
          failure: "empty_line_product",
          message: message("transfer.order_empty_line_product_missing", {
            order: order.orderNumber,
            line: line.lineNumber ?? i + 1,
            setting: "debtor",
          }),
        };
      product = emptyLineProduct;
      emptyLines++;
    }
    const quantity = line.quantity ?? 1;
    const price = line.unitNetPrice ?? 0;
    const discount = line.discountPercentage ?? 0;
    netOre += lineNetOre(quantity, price, discount);
    lines.push({
      child_id: product,
      name: (line.description ?? "").slice(0, 255),
      quantity,
      line_price: price,
      ...(discount ? { discount_percentage: discount } : {}),
    });
  }
  if (!lines.length)
    return {
      ok: false,
      failure: "only_text",
      message: message("transfer.order_only_text", { order: order.orderNumber }),
    };
  const economicOre = toOre(order.netAmount);
  if (netOre !== economicOre)
    return {
      ok: false,
      failure: "totals_differ",
      message: message("transfer.order_totals_differ", {
        order: order.orderNumber,
        economic: fromOre(economicOre).toFixed(2),
        rackbeat: fromOre(netOre).toFixed(2),
      }),
    };
  const notes = [order.notes?.textLine1, order.notes?.textLine2, ...text].filter((t) => t?.trim());
  const body = {
    customer_id: order.customer.customerNumber,
    currency: order.currency,
    [UNCERTAIN.rackbeat.orderFields.date]: order.date,
    [UNCERTAIN.rackbeat.orderSource.field]: orderSourceText(order.orderNumber),
    ...(order.notes?.heading ? { heading: order.notes.heading.slice(0, 255) } : {}),
    ...(notes.length ? { [UNCERTAIN.rackbeat.orderFields.note]: notes.join("\n") } : {}),
    ...(order.references?.other ? { their_reference: order.references.other.slice(0, 255) } : {}),
    lines,
    suppress_webhooks: true,
  };
  return { ok: true, body, netOre, textLines: text.length, emptyLines };
}

/** What changes of an order we notice after it was brought over: its customer, date, currency and net. */
export const orderFingerprint = (o: Pick<EconomicOrder, "customer" | "date" | "currency" | "netAmount">) =>
  `${o.customer?.customerNumber}|${o.date}|${o.currency}|${toOre(o.netAmount ?? 0)}`;
