import { Hono } from "hono";
import { collectionResponse } from "./collection";
import { type Ctx, type EconomicEnv, notFound, present, query, readObject } from "./context";
import { EconomicError } from "./errors";
import { buildDraft } from "./routes-invoices";
import type { Agreement } from "./seed";

type Obj = Record<string, unknown>;
export type OrderStatus = "drafts" | "sent" | "archived";
export type Order = Obj & { orderNumber: number; status: OrderStatus };

/**
 * e-conomic's orders, as slate `source/includes/_orders.md` (a36f68f) documents them: three collections
 * (drafts, sent = "registered as sent", archived = invoiced), the same filterable properties on each,
 * default sort by orderNumber, and an order's lines only on the single order, not in the collection (the
 * collection's property table has no `lines`). The endpoint is marked experimental, and "the inventory
 * module is not supported in the current version of /orders ... data creation and modification ... will
 * not be available on agreements that have inventory module enabled": such agreements may read orders
 * here but not write them through the API (orders are made in e-conomic's own screens, which the control
 * route below stands in for).
 */
export const ORDER_FILTERABLE = [
  "currency",
  "customer.customerNumber",
  "date",
  "delivery.address",
  "delivery.city",
  "delivery.country",
  "delivery.deliveryDate",
  "delivery.deliveryTerms",
  "delivery.zip",
  "deliveryLocation.deliveryLocationNumber",
  "exchangeRate",
  "notes.heading",
  "notes.textLine1",
  "notes.textLine2",
  "orderNumber",
  "paymentTerms.paymentTermsNumber",
  "recipient.address",
  "recipient.city",
  "recipient.country",
  "recipient.ean",
  "recipient.name",
  "recipient.publicEntryNumber",
  "recipient.zip",
  "references.customerContact.customer.customerNumber",
  "references.other",
  "references.salesPerson.employeeNumber",
  "references.vendorReference.employeeNumber",
  "soap.orderHandle.id",
];

const hasInventoryModule = (a: Agreement) => a.modules.some((m) => m.name === "Lager");

function refuseOnInventoryAgreement(a: Agreement) {
  if (hasInventoryModule(a))
    throw new EconomicError(
      400,
      "The inventory module is not supported in the current version of /orders: orders cannot be created or changed through the API on this agreement.",
    );
}

/** An order as its collection lists it: everything but the lines. */
const listed = ({ lines: _lines, status: _status, ...rest }: Order) => rest;
const shown = ({ status: _status, ...rest }: Order) => rest;

/** An agreement's orders; one restored from a sandbox saved before orders existed starts with none. */
export function ordersOf(a: Agreement): Map<number, Order> {
  a.orders ??= new Map();
  a.nextOrderNumber ??= 1;
  return a.orders;
}

/** A new order from a body with e-conomic's draft rules and computed totals (as a draft invoice). */
export function makeOrder(a: Agreement, body: Obj, status: OrderStatus): Order {
  ordersOf(a);
  const built = buildDraft(a, body);
  const orderNumber = a.nextOrderNumber++;
  const order: Order = { ...built, orderNumber, status };
  a.orders.set(orderNumber, order);
  return order;
}

export function orderRoutes() {
  const r = new Hono<EconomicEnv>();
  const self = (c: Ctx, status: OrderStatus, n?: number) =>
    `${c.get("baseUrl")}/orders/${status}${n === undefined ? "" : `/${n}`}`;

  r.get("/orders", (c) =>
    c.json({
      drafts: self(c, "drafts"),
      sent: self(c, "sent"),
      archived: self(c, "archived"),
      self: `${c.get("baseUrl")}/orders`,
    }),
  );
  for (const status of ["drafts", "sent", "archived"] as const) {
    r.get(`/orders/${status}`, (c) => {
      const items = [...ordersOf(c.get("agreement")).values()]
        .filter((o) => o.status === status)
        .sort((x, y) => x.orderNumber - y.orderNumber)
        .map((o) => ({ ...listed(o), self: self(c, status, o.orderNumber) }));
      return c.json(
        present(
          collectionResponse(items, query(c), {
            baseUrl: c.get("baseUrl"),
            path: `/orders/${status}`,
            filterable: ORDER_FILTERABLE,
            sortable: ORDER_FILTERABLE,
          }),
        ),
      );
    });
    r.get(`/orders/${status}/:n`, (c) => {
      const order = ordersOf(c.get("agreement")).get(Number(c.req.param("n")));
      if (!order || order.status !== status) notFound(`Order ${c.req.param("n")}`);
      return c.json(present({ ...shown(order), self: self(c, status, order.orderNumber) }));
    });
  }
  r.post("/orders/drafts", async (c) => {
    const a = c.get("agreement");
    refuseOnInventoryAgreement(a);
    const order = makeOrder(a, await readObject(c), "drafts");
    return c.json(present({ ...shown(order), self: self(c, "drafts", order.orderNumber) }), 201);
  });
  // "POST the full order document to /orders/sent to register the order as sent."
  r.post("/orders/sent", async (c) => {
    const a = c.get("agreement");
    refuseOnInventoryAgreement(a);
    const body = await readObject(c);
    const order = ordersOf(a).get(Number(body.orderNumber));
    if (!order || order.status !== "drafts") notFound(`Draft order ${String(body.orderNumber)}`);
    order.status = "sent";
    return c.json(present({ ...shown(order), self: self(c, "sent", order.orderNumber) }), 201);
  });
  return r;
}

/**
 * Stands in for e-conomic's own order screens: a bookkeeper makes an order and registers it as sent
 * (`POST /__control/agreements/:n/orders`, body as for POST /orders/drafts), moves it back to drafts
 * (`…/orders/:o/draft`, e.g. to change it), or invoices it (`…/orders/:o/archive`).
 */
export function orderControlRoutes(agreementOf: (n: number) => Agreement | undefined) {
  const r = new Hono<EconomicEnv>();
  const agreement = (c: Ctx) => {
    const a = agreementOf(Number(c.req.param("n")));
    if (!a) throw new EconomicError(404, "No such agreement.");
    return a;
  };
  r.post("/__control/agreements/:n/orders", async (c) => {
    const a = agreement(c);
    const body = (await c.req.json()) as Obj & { status?: OrderStatus };
    const { status = "sent", ...rest } = body;
    return c.json(shown(makeOrder(a, rest, status)), 201);
  });
  r.post("/__control/agreements/:n/orders/:o/:to", async (c) => {
    const a = agreement(c);
    const order = ordersOf(a).get(Number(c.req.param("o")));
    if (!order) throw new EconomicError(404, "No such order.");
    const to = c.req.param("to");
    if (to === "draft") order.status = "drafts";
    else if (to === "send") order.status = "sent";
    else if (to === "archive") order.status = "archived";
    else if (to === "change") {
      const changes = (await c.req.json()) as Obj;
      Object.assign(order, buildDraft(a, { ...shown(order), ...changes }), {
        orderNumber: order.orderNumber,
      });
    } else throw new EconomicError(400, "Use draft, send, archive or change.");
    return c.json(shown(order));
  });
  return r;
}
