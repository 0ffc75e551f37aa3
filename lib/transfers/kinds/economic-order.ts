import { z } from "zod";
import { HttpError, NetworkError } from "@/lib/http";
import { message } from "@/lib/messages";
import { ENTITIES, UnmappableRecord } from "@/lib/sync/entities";
import { syncReferences } from "@/lib/sync/references";
import { UNCERTAIN } from "@/lib/uncertain";
import { fail, failOnSetting, skip } from "../failure";
import {
  mapEconomicOrder,
  orderFingerprint,
  orderSourceText,
  type EconomicOrder,
} from "../mapping/economic-order";
import type { Succeeded, TransferContext } from "./context";
import { defineTransfer } from "./define";

type RackbeatOrder = { number: number; total_subtotal?: number; [field: string]: unknown };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads, tried again within the attempt: a 429 waits as told, a 5xx or a dropped connection is tried
 * twice more. Only reads: bringing a new customer costs a dozen list reads, and one passing hiccup
 * should not cost the whole attempt.
 */
const patiently =
  (deadline: number) =>
  async <T>(call: () => Promise<T>): Promise<T> => {
    for (let tries = 1; ; tries++) {
      try {
        return await call();
      } catch (error) {
        const busy = error instanceof HttpError && error.status === 429;
        const transient =
          error instanceof NetworkError || (error instanceof HttpError && error.status >= 500);
        const wait = busy ? Math.max(250, ((error as HttpError).retryAfterSeconds ?? 1) * 1000) : 200 * tries;
        if (!(busy || (transient && tries < 3)) || Date.now() + wait >= deadline - 5_000) throw error;
        await sleep(wait);
      }
    }
  };

/** Rackbeat's `updated_at_from` format (rackbeat-api.md §8), in UTC (UNCERTAIN.rackbeat.updatedAtFilterTimeZone). */
const rackbeatTime = (d: Date) => d.toISOString().slice(0, 19).replace("T", " ");

/**
 * An order registered as sent in e-conomic → the same order in Rackbeat, where its goods are picked,
 * shipped and invoiced. Its customer is created in Rackbeat first if it is new there (as the start-up
 * synchronization would have made it). Rackbeat takes no idempotency key: the order carries the
 * e-conomic number (UNCERTAIN.rackbeat.orderSource), and every attempt after the first looks for it
 * before writing. Nothing is written with Rackbeat's webhooks on, so no change comes back.
 */
async function transferEconomicOrder(ctx: TransferContext): Promise<Succeeded> {
  const { settings, rackbeat, transfer } = ctx;
  if (!settings.debtor.enabled) throw skip(message("transfer.part_not_active", { part: "debtor" }));
  if (!settings.debtor.bringOrders) throw skip(message("transfer.part_not_active", { part: "orders" }));
  const number = Number(transfer.sourceId);
  if (ctx.mayExist) {
    const found = await findRackbeatOrder(ctx, number);
    if (found) return succeeded(number, found, { found: true });
  }
  const order = await readSentOrder(ctx, number);
  const mapped = mapEconomicOrder(order, settings.debtor.emptyLineProduct);
  if (!mapped.ok) {
    if (mapped.failure === "empty_line_product") throw failOnSetting("debtor", mapped.message);
    if (mapped.failure === "only_text") throw skip(mapped.message);
    throw fail(mapped.message);
  }
  const createdCustomer = await ensureRackbeatCustomer(ctx, order.customer.customerNumber);
  const { data } = await rackbeat.request<{ order: RackbeatOrder }>("/orders?suppress_webhooks=true", {
    method: "POST",
    body: mapped.body,
  });
  return succeeded(number, data.order, {
    economicNetOre: mapped.netOre.toString(),
    currency: order.currency,
    lines: mapped.body.lines.length,
    emptyLines: mapped.emptyLines,
    textLines: mapped.textLines,
    fingerprint: orderFingerprint(order),
    ...(createdCustomer ? { createdCustomer: order.customer.customerNumber } : {}),
  });
}

function succeeded(number: number, order: RackbeatOrder, details: Record<string, unknown>): Succeeded {
  return {
    outcome: "succeeded",
    economicReference: `order:${number}`,
    payload: {
      rackbeatOrder: order.number,
      ...(typeof order.total_subtotal === "number" ? { rackbeatNet: order.total_subtotal } : {}),
      ...details,
    },
  };
}

/** The order as e-conomic has it now. Gone from "sent" (invoiced, or taken back to drafts) → not brought. */
async function readSentOrder(ctx: TransferContext, number: number): Promise<EconomicOrder> {
  try {
    return (await patiently(ctx.deadline)(() => ctx.economic.rest<EconomicOrder>(`/orders/sent/${number}`)))
      .data;
  } catch (error) {
    if (error instanceof HttpError && error.status === 404)
      throw skip(message("transfer.document_missing", { kind: "order", number }));
    throw error;
  }
}

/**
 * The Rackbeat order an earlier attempt made, if its answer was lost: orders changed since this transfer
 * was queued (less a margin for clocks), matched on the e-conomic number they carry.
 */
async function findRackbeatOrder(ctx: TransferContext, number: number): Promise<RackbeatOrder | undefined> {
  const since = rackbeatTime(new Date(ctx.transfer.createdAt.getTime() - 10 * 60_000));
  const { field } = UNCERTAIN.rackbeat.orderSource;
  const orders = await patiently(ctx.deadline)(() =>
    ctx.rackbeat.listAll<RackbeatOrder>(
      `/orders?updated_at_from=${encodeURIComponent(since)}&fields=number,total_subtotal,${field}`,
      "orders",
    ),
  );
  return orders.find((o) => o[field] === orderSourceText(number));
}

/**
 * The order's customer in Rackbeat, by number; a customer made in e-conomic after the start-up
 * synchronization is created as that synchronization would have. Returns whether it was created.
 */
async function ensureRackbeatCustomer(ctx: TransferContext, customerNumber: number): Promise<boolean> {
  const read = patiently(ctx.deadline);
  try {
    await read(() => ctx.rackbeat.request(`/customers/${customerNumber}`));
    return false;
  } catch (error) {
    if (!(error instanceof HttpError && error.status === 404)) throw error;
  }
  const { data: record } = await read(() =>
    ctx.economic.rest<Record<string, unknown>>(`/customers/${customerNumber}`),
  );
  const refs = await syncReferences(ctx.economic, ctx.rackbeat, ctx.settings, read);
  let body: Record<string, unknown>;
  try {
    body = ENTITIES.customers.toRackbeat(record, refs);
  } catch (error) {
    if (!(error instanceof UnmappableRecord)) throw error;
    const [field, value] = Object.entries(error.params)[0] ?? ["?", "?"];
    throw fail(message("transfer.order_customer_unmappable", { customer: customerNumber, field, value }));
  }
  try {
    await ctx.rackbeat.request("/customers?suppress_webhooks=true", {
      method: "POST",
      body: { ...body, suppress_webhooks: true },
    });
    return true;
  } catch (error) {
    // An earlier attempt whose answer was lost made it: Rackbeat says the number is taken.
    if (error instanceof HttpError && /already been taken/.test(JSON.stringify(error.body ?? "")))
      return false;
    throw error;
  }
}

export const economicOrder = defineTransfer({
  kind: "economic_order",
  key: (orderNumber) => `economic_order:${orderNumber}`,
  payload: z.looseObject({}),
  run: transferEconomicOrder,
});
