import { and, eq } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import type { TransferKind } from "@/db/vocabulary";
import { EconomicClient } from "@/lib/economic/client";
import { economicGrantOf, rackbeatTokenOf, type Installation } from "@/lib/installations/repository";
import { errorFields, logger } from "@/lib/log";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { loadSettings } from "@/lib/settings/repository";
import type { SettingsValues } from "@/lib/settings/schema";
import { UNCERTAIN } from "@/lib/uncertain";
import { enqueueTransfer } from "./enqueue";
import { sweepSentMarks } from "./mark-as-sent";

/** What the sweep lists per kind: Rackbeat's list path and key, and whether a document must be booked. */
const SOURCES: Record<
  Exclude<TransferKind, "inventory_value" | "startup_sync">,
  {
    path: string;
    key: string;
    booked: boolean;
    number: (d: Doc) => string;
    on: (s: SettingsValues) => boolean;
  }
> = {
  customer_invoice: {
    path: "/customer-invoices",
    key: "customer_invoices",
    booked: true,
    number: (d) => String(d.number),
    on: (s) => s.debtor.enabled,
  },
  supplier_invoice: {
    path: "/supplier-invoices",
    key: "supplier_invoices",
    booked: true,
    number: (d) => String(d.number),
    on: (s) => s.creditor.enabled,
  },
  product: {
    path: "/products",
    key: "products",
    booked: false,
    number: (d) => String(d.number),
    on: (s) => s.debtor.enabled || s.creditor.enabled,
  },
  customer: {
    path: "/customers",
    key: "customers",
    booked: false,
    number: (d) => String(d.number),
    on: (s) => s.debtor.enabled,
  },
  supplier: {
    path: "/suppliers",
    key: "suppliers",
    booked: false,
    number: (d) => String(d.number),
    on: (s) => s.creditor.enabled,
  },
};
type Doc = { number: string | number; updated_at: string; is_booked?: boolean };

/**
 * The documents of a Rackbeat list changed at or after `since` (`>=`, so that one sharing the
 * checkpoint's second is looked at again; queueing it twice is a no-op). Rackbeat's lists cannot be
 * filtered on `updated_at` as far as is known, and `is_booked` is not filterable everywhere
 * (rackbeat-api.md), so the list is read newest first (`order_by=updated_at`) and reading stops at the
 * first older document: a sweep costs the changed documents plus one page, not the whole collection.
 * If the answer turns out not to be in that order, nothing is assumed: the whole list is read.
 */
export async function changedSince(
  rackbeat: RackbeatClient,
  path: string,
  key: string,
  since: string | undefined,
): Promise<Doc[]> {
  const everything = async () =>
    (await rackbeat.listAll<Doc>(path, key)).filter((d) => !since || d.updated_at >= since);
  if (!since || !UNCERTAIN.rackbeat.sortsByUpdatedAt) return everything();
  const found: Doc[] = [];
  let previous: string | undefined;
  for (let page = 1; ; page++) {
    const { data } = await rackbeat.request<Record<string, unknown> & { pages?: number }>(
      `${path}?order_by=updated_at&order_direction=DESC&limit=${UNCERTAIN.rackbeat.listPageLimit}&page=${page}`,
    );
    const batch = (data[key] as Doc[] | undefined) ?? [];
    // The whole page must be in order (and continue the previous one) before anything is concluded.
    for (const doc of batch) {
      if (previous !== undefined && doc.updated_at > previous) return everything();
      previous = doc.updated_at;
    }
    for (const doc of batch) {
      if (doc.updated_at < since) return found;
      found.push(doc);
    }
    if (batch.length === 0 || page >= (data.pages ?? 1)) return found;
  }
}

/**
 * The guaranteed path: for each active installation, lists what changed in Rackbeat since the last
 * sweep and queues what no webhook brought. Booked customer and supplier invoices are queued once
 * (their idempotency key); products, customers and suppliers are queued again when changed (their
 * transfer skips e-conomic when nothing it would send changed). The checkpoint moves only past what
 * was queued, in the same transaction. Safe to run alongside another sweep: queueing is idempotent.
 */
export async function reconcileInstallation(
  installation: Installation,
): Promise<{ enqueued: number; bookedLater: number; marked: number }> {
  const token = rackbeatTokenOf(installation);
  const grant = economicGrantOf(installation);
  const settings = await loadSettings(installation.id);
  if (!token || !grant || !settings.activatedAt || installation.status !== "active")
    return { enqueued: 0, bookedLater: 0, marked: 0 };
  const rackbeat = new RackbeatClient(token);
  const db = await getDb();
  let enqueued = 0;
  for (const [kind, source] of Object.entries(SOURCES) as [
    keyof typeof SOURCES,
    (typeof SOURCES)[keyof typeof SOURCES],
  ][]) {
    if (!source.on(settings.values)) continue;
    const key = and(
      eq(schema.reconcileCheckpoints.installationId, installation.id),
      eq(schema.reconcileCheckpoints.kind, kind),
    );
    const [checkpoint] = await db.select().from(schema.reconcileCheckpoints).where(key);
    const docs = (await changedSince(rackbeat, source.path, source.key, checkpoint?.checkpoint))
      .filter((d) => !source.booked || d.is_booked)
      .sort((a, b) => a.updated_at.localeCompare(b.updated_at));
    if (!docs.length) continue;
    await db.transaction(async (tx) => {
      for (const doc of docs) {
        const number = source.number(doc);
        if (
          await enqueueTransfer(tx, {
            installationId: installation.id,
            kind,
            sourceId: number,
            idempotencyKey: `${kind}:${number}`,
            settingsVersion: settings.version,
            requeue: !source.booked && doc.updated_at !== checkpoint?.checkpoint,
          })
        )
          enqueued++;
      }
      const newest = docs[docs.length - 1].updated_at;
      await tx
        .insert(schema.reconcileCheckpoints)
        .values({ installationId: installation.id, kind, checkpoint: newest })
        .onConflictDoUpdate({
          target: [schema.reconcileCheckpoints.installationId, schema.reconcileCheckpoints.kind],
          set: { checkpoint: newest, sweptAt: new Date() },
        });
    });
  }
  // Drafts booked later in e-conomic, and marks not yet taken (only where the setting asks for it).
  const sentMarks = settings.values.debtor.markInvoicesAsSent
    ? await sweepSentMarks(installation.id, new EconomicClient(grant), rackbeat)
    : { bookedLater: 0, marked: 0 };
  return { enqueued, ...sentMarks };
}

/** Every active installation, one after another, within the time budget. */
export async function reconcileAll(budgetMs: number): Promise<{ installations: number; enqueued: number }> {
  const deadline = Date.now() + budgetMs;
  const db = await getDb();
  const installations = await db
    .select()
    .from(schema.installations)
    .where(eq(schema.installations.status, "active"));
  let enqueued = 0;
  let done = 0;
  for (const installation of installations) {
    if (Date.now() > deadline) break;
    try {
      enqueued += (await reconcileInstallation(installation)).enqueued;
      done++;
    } catch (error) {
      logger().warn({ event: "reconcile.failed", installationId: installation.id, ...errorFields(error) });
    }
  }
  return { installations: done, enqueued };
}
