import { Hono } from "hono";
import { jsonBody, page, Problems, type RackbeatEnv, RackbeatError, suppressed } from "./context";
import { emit, RACKBEAT_EVENTS } from "./webhooks";

export type OrderLine = {
  id: number;
  child_id: string;
  child_type: "product";
  name: string;
  quantity: number;
  line_price: number;
  discount_percentage: number;
  line_total: number;
};
export type Order = {
  number: number;
  customer_id: number;
  currency: string;
  order_date?: string;
  our_reference?: string;
  their_reference?: string;
  heading?: string;
  note?: string;
  lines: OrderLine[];
  total_subtotal: number;
  is_booked: boolean;
  is_shipped: boolean;
  is_invoiced: boolean;
  created_at: string;
  updated_at: string;
};

/**
 * q × price × (100 − discount) / 100 rounded half away from zero to øre, per line, in exact decimals.
 * The reference is SILENT on how Rackbeat rounds an order line (rackbeat-api.md §6 gives `line_price` up
 * to 6 decimals only); this is a guess. The app does not depend on it: it checks its own pricing against
 * e-conomic's net before writing, and shows Rackbeat's answered total beside e-conomic's on the transfer.
 */
export function lineTotalOre(quantity: number, price: number, discount: number): bigint {
  const parts = (n: number) => {
    const [i, f = ""] = String(Math.abs(n)).split(".");
    return { m: BigInt(i + f) * (n < 0 ? -1n : 1n), s: f.length };
  };
  const q = parts(quantity);
  const p = parts(price);
  const d = parts(discount);
  const rest = 100n * 10n ** BigInt(d.s) - d.m;
  const num = q.m * p.m * rest * 100n;
  const den = 10n ** BigInt(q.s + p.s + d.s) * 100n;
  const neg = num < 0n;
  const abs = neg ? -num : num;
  const r = (abs * 2n + den) / (2n * den);
  return neg ? -r : r;
}

/**
 * Rackbeat orders (rackbeat-api.md §6: fields from LC `Order`; `order_date`, `note`, `heading` and
 * `their_reference` on an order are not in the reference — accepted here, named in lib/uncertain.ts; lines as on invoices: `child_id`,
 * `quantity`, `line_price` up to 6 decimals; `discount_percentage` confirmed on order lines, §8). Rackbeat
 * numbers an order itself. Every line needs a product ("Rackbeat always needs a product connected to a
 * product line", the customer guide): a line without one is a 422, as on invoices. Orders filter only on
 * number, created_at and updated_at (a third party reports 422 "Property 'is_booked' is not filterable"
 * on orders, §4), here `number` and the documented date filters (§8).
 */
/** An account's orders; one restored from a sandbox saved before orders existed starts with none. */
const ordersOf = (a: { orders?: Map<number, Order> }) => (a.orders ??= new Map());

export function orderRoutes() {
  const r = new Hono<RackbeatEnv>();
  r.get("/orders", (c) => {
    const a = c.get("account");
    const q = new URL(c.req.url).searchParams;
    const p = new Problems();
    const allowed = [
      "limit",
      "page",
      "order_by",
      "order_direction",
      "fields",
      "number",
      "updated_at_from",
      "updated_at_to",
      "date_from",
      "date_to",
    ];
    for (const name of new Set(q.keys()))
      if (!allowed.includes(name)) p.add(name, `Property '${name}' is not filterable`);
    p.throwIfAny();
    let out = [...ordersOf(a).values()].sort((x, y) => x.number - y.number);
    const number = q.get("number");
    if (number !== null) out = out.filter((o) => String(o.number) === number);
    const bound = (name: string, field: "updated_at" | "created_at", from: boolean) => {
      const raw = q.get(name);
      if (raw === null) return;
      const m = /^(\d{4}-\d{2}-\d{2})( \d{2}:\d{2}:\d{2})?$/.exec(raw.trim());
      if (!m) throw new RackbeatError(422, `The ${name} does not match the format Y-m-d H:i:s.`);
      const at = Date.parse(`${m[1]}T${(m[2] ?? (from ? " 00:00:00" : " 23:59:59")).trim()}Z`);
      out = out.filter((o) => (from ? Date.parse(o[field]) >= at : Date.parse(o[field]) <= at));
    };
    bound("updated_at_from", "updated_at", true);
    bound("updated_at_to", "updated_at", false);
    bound("date_from", "created_at", true);
    bound("date_to", "created_at", false);
    return page(c, "orders", out);
  });
  r.get("/orders/:number", (c) => {
    const found = ordersOf(c.get("account")).get(Number(c.req.param("number")));
    if (!found) throw new RackbeatError(404, "Order not found.");
    return c.json({ order: found });
  });
  r.post("/orders", async (c) => {
    const a = c.get("account");
    const body = await jsonBody(c);
    const p = new Problems();
    const customerId = Number(body.customer_id);
    if (body.customer_id === undefined) p.add("customer_id", "The customer is required.");
    else if (!a.customers.has(customerId)) p.add("customer_id", "The selected Customer is invalid.");
    if (body.currency !== undefined && (typeof body.currency !== "string" || body.currency.length !== 3))
      p.add("currency", "The currency must be 3 characters.");
    for (const field of ["our_reference", "their_reference", "heading"] as const)
      if (body[field] !== undefined && (typeof body[field] !== "string" || body[field].length > 255))
        p.add(field, `The ${field.replace("_", " ")} may not be greater than 255 characters.`);
    const lines = body.lines;
    if (!Array.isArray(lines) || lines.length === 0) p.add("lines", "At least one line is required.");
    else
      lines.forEach((l: Record<string, unknown>, i) => {
        if (!l || typeof l.child_id !== "string" || !a.products.has(l.child_id))
          p.add(`lines.${i}.item_id`, "Product needed");
        if (typeof l?.quantity !== "number" || !Number.isFinite(l.quantity))
          p.add(`lines.${i}.quantity`, "The quantity must be a number.");
        if (typeof l?.line_price !== "number" || !Number.isFinite(l.line_price))
          p.add(`lines.${i}.line_price`, "The line price must be a number.");
        else if (!/^-?\d+(\.\d{1,6})?$/.test(String(l.line_price)))
          p.add(`lines.${i}.line_price`, "The line price may have at most 6 decimals.");
        const d = l?.discount_percentage;
        if (d !== undefined && (typeof d !== "number" || d < 0 || d > 100))
          p.add(`lines.${i}.discount_percentage`, "The discount percentage must be between 0 and 100.");
      });
    p.throwIfAny();
    const now = new Date().toISOString();
    const number = Math.max(5000, ...ordersOf(a).keys()) + 1;
    let total = 0n;
    const orderLines = (lines as Record<string, unknown>[]).map((l) => {
      const ore = lineTotalOre(
        l.quantity as number,
        l.line_price as number,
        (l.discount_percentage as number) ?? 0,
      );
      total += ore;
      return {
        id: a.nextLineId++,
        child_id: l.child_id as string,
        child_type: "product" as const,
        name: typeof l.name === "string" ? l.name : a.products.get(l.child_id as string)!.name,
        quantity: l.quantity as number,
        line_price: l.line_price as number,
        discount_percentage: (l.discount_percentage as number) ?? 0,
        line_total: Number(ore) / 100,
      };
    });
    const order: Order = {
      number,
      customer_id: customerId,
      currency: (body.currency as string | undefined) ?? a.customers.get(customerId)!.currency ?? "DKK",
      order_date: body.order_date as string | undefined,
      our_reference: body.our_reference as string | undefined,
      their_reference: body.their_reference as string | undefined,
      heading: body.heading as string | undefined,
      note: body.note as string | undefined,
      lines: orderLines,
      total_subtotal: Number(total) / 100,
      is_booked: false,
      is_shipped: false,
      is_invoiced: false,
      created_at: now,
      updated_at: now,
    };
    a.orders.set(number, order);
    c.get("state").counters.add("orders.created");
    if (!suppressed(c, body))
      emit(c.get("state"), a.id, RACKBEAT_EVENTS.orderCreated, {
        key: number,
        key_name: "number",
        data: order,
      });
    return c.json({ order }, 201);
  });
  return r;
}
