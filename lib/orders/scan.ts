import { and, eq, inArray } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import type { EconomicClient } from "@/lib/economic/client";
import { withEconomic } from "@/lib/installations/lifecycle";
import type { Installation } from "@/lib/installations/repository";
import { errorFields, logger } from "@/lib/log";
import { loadSettings } from "@/lib/settings/repository";
import { economicOrder } from "@/lib/transfers/kinds/economic-order";
import { orderFingerprint, type EconomicOrder } from "@/lib/transfers/mapping/economic-order";
import { enqueue, recordReference } from "@/lib/transfers/queue";

export type OrderScan = {
  installations: number;
  sentOrders: number;
  enqueued: number;
  changed: number;
  calls: number;
};

/**
 * Every five minutes (app/api/cron/economic-orders): for each active installation that brings orders,
 * read e-conomic's sent orders whole — they are the working set: an order leaves it when invoiced —
 * and queue one transfer for each not seen before. Drafts are not read: a draft is not confirmed to the
 * customer and may still change; "sent" is e-conomic's word for confirmed and unchangeable. An order
 * already brought over whose customer, date, currency or net changed since is noted on its transfer
 * (Rackbeat owns it now; nothing is changed there).
 */
export async function scanSentOrders(): Promise<OrderScan> {
  const db = await getDb();
  const installations = await db
    .select()
    .from(schema.installations)
    .where(eq(schema.installations.status, "active"));
  const total: OrderScan = { installations: 0, sentOrders: 0, enqueued: 0, changed: 0, calls: 0 };
  for (const installation of installations) {
    try {
      const settings = await loadSettings(installation.id);
      if (!settings.activatedAt || !settings.values.debtor.enabled || !settings.values.debtor.bringOrders)
        continue;
      const one = await scanInstallation(installation, settings.version);
      total.installations++;
      total.sentOrders += one.sentOrders;
      total.enqueued += one.enqueued;
      total.changed += one.changed;
      total.calls += one.calls;
    } catch (error) {
      logger().warn({ event: "orders.scan_failed", installationId: installation.id, ...errorFields(error) });
    }
  }
  return total;
}

export async function scanInstallation(
  installation: Installation,
  settingsVersion: number,
): Promise<Omit<OrderScan, "installations">> {
  const { orders, calls } = await withEconomic(installation, readSentOrders);
  const db = await getDb();
  const numbers = orders.map((o) => String(o.orderNumber));
  const known = new Map<string, { id: number; status: string; payload: unknown }>();
  // One query per thousand: the working set of a large wholesaler is a few thousand open orders.
  for (let i = 0; i < numbers.length; i += 1000) {
    const rows = await db
      .select({
        id: schema.transfers.id,
        sourceId: schema.transfers.sourceId,
        status: schema.transfers.status,
        payload: schema.transfers.payload,
      })
      .from(schema.transfers)
      .where(
        and(
          eq(schema.transfers.installationId, installation.id),
          eq(schema.transfers.kind, economicOrder.kind),
          inArray(schema.transfers.sourceId, numbers.slice(i, i + 1000)),
        ),
      );
    for (const r of rows) known.set(r.sourceId, r);
  }
  let enqueued = 0;
  let changed = 0;
  for (const order of orders) {
    const number = String(order.orderNumber);
    const seen = known.get(number);
    if (!seen) {
      if (
        await enqueue(db, economicOrder, {
          installationId: installation.id,
          sourceId: number,
          payload: {},
          settingsVersion,
        })
      )
        enqueued++;
      continue;
    }
    const payload = (seen.payload ?? {}) as { fingerprint?: string; changedInEconomic?: string };
    if (
      seen.status === "succeeded" &&
      payload.fingerprint &&
      !payload.changedInEconomic &&
      payload.fingerprint !== orderFingerprint(order)
    ) {
      await recordReference(db, {
        installationId: installation.id,
        id: seen.id,
        economicReference: `order:${number}`,
        note: { changedInEconomic: new Date().toISOString() },
      });
      changed++;
    }
  }
  return { sentOrders: orders.length, enqueued, changed, calls };
}

/** The whole sent collection, a thousand per page (the documented maximum), in order-number order. */
async function readSentOrders(economic: EconomicClient): Promise<{ orders: EconomicOrder[]; calls: number }> {
  const orders: EconomicOrder[] = [];
  for (let skip = 0; ; skip++) {
    const { data } = await economic.rest<{ collection: EconomicOrder[]; pagination?: { nextPage?: string } }>(
      `/orders/sent?skippages=${skip}&pagesize=1000`,
    );
    orders.push(...data.collection);
    if (!data.pagination?.nextPage || data.collection.length === 0) return { orders, calls: skip + 1 };
  }
}
