import { and, eq } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { EconomicClient } from "@/lib/economic/client";
import { economicGrantOf, rackbeatTokenOf, type Installation } from "@/lib/installations/repository";
import { HttpError } from "@/lib/http";
import { errorFields, logger } from "@/lib/log";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { loadSettings } from "@/lib/settings/repository";
import type { SettingsValues } from "@/lib/settings/schema";
import { UNCERTAIN } from "@/lib/uncertain";
import { sweepBookedLater } from "./booked-later";
import { customerInvoice } from "./kinds/customer-invoice";
import { customer, product, supplier } from "./kinds/master-records";
import { supplierInvoice } from "./kinds/supplier-invoice";
import { enqueue, type Enqueueable } from "./queue";

/** What the sweep lists per kind: Rackbeat's list path and key, and whether a document must be booked. */
const SOURCES: Record<
  "customer_invoice" | "supplier_invoice" | "product" | "customer" | "supplier",
  {
    transfer: Enqueueable;
    path: string;
    key: string;
    booked: boolean;
    number: (d: Doc) => string;
    on: (s: SettingsValues) => boolean;
  }
> = {
  customer_invoice: {
    transfer: customerInvoice,
    path: "/customer-invoices",
    key: "customer_invoices",
    booked: true,
    number: (d) => String(d.number),
    on: (s) => s.debtor.enabled,
  },
  supplier_invoice: {
    transfer: supplierInvoice,
    path: "/supplier-invoices",
    key: "supplier_invoices",
    booked: true,
    number: (d) => String(d.number),
    on: (s) => s.creditor.enabled,
  },
  product: {
    transfer: product,
    path: "/products",
    key: "products",
    booked: false,
    number: (d) => String(d.number),
    on: (s) => s.debtor.enabled || s.creditor.enabled,
  },
  customer: {
    transfer: customer,
    path: "/customers",
    key: "customers",
    booked: false,
    number: (d) => String(d.number),
    on: (s) => s.debtor.enabled,
  },
  supplier: {
    transfer: supplier,
    path: "/suppliers",
    key: "suppliers",
    booked: false,
    number: (d) => String(d.number),
    on: (s) => s.creditor.enabled,
  },
};
type Doc = { number: string | number; updated_at: string; is_booked?: boolean };

/** How far before its checkpoint a sweep asks from: clock skew and writes still committing. */
const SWEEP_MARGIN_MS = 10 * 60 * 1000;

/** `2026-12-06T01:23:45.678Z` less the margin → `2026-12-06 01:13:45` (rackbeat-api.md §8's format). */
export function updatedAtFrom(checkpoint: string): string {
  const at = new Date(Date.parse(checkpoint) - SWEEP_MARGIN_MS);
  return at.toISOString().slice(0, 19).replace("T", " ");
}

const refusedFilters = new Set<string>();

/**
 * The documents of a Rackbeat list changed at or after `since` (`>=`, so that one sharing the
 * checkpoint's second is looked at again; queueing it twice is a no-op). Rackbeat documents a
 * changed-since filter (`updated_at_from`, rackbeat-api.md §8): the sweep asks from a little before its
 * checkpoint, read as UTC (`UNCERTAIN.rackbeat.updatedAtFilterTimeZone`: a server in Copenhagen time
 * would only send more), and keeps what changed since. Filterability differs per endpoint: a 422 on the
 * filter falls back to reading the list newest first (`order_by=updated_at`), stopping at the first
 * older document, and that to reading everything when the answer is not in that order.
 */
export async function changedSince(
  rackbeat: RackbeatClient,
  path: string,
  key: string,
  since: string | undefined,
): Promise<Doc[]> {
  const everything = async () =>
    (await rackbeat.listAll<Doc>(path, key)).filter((d) => !since || d.updated_at >= since);
  if (!since || Number.isNaN(Date.parse(since))) return everything();
  try {
    const found: Doc[] = [];
    const from = encodeURIComponent(updatedAtFrom(since));
    for (let page = 1; ; page++) {
      const { data } = await rackbeat.request<Record<string, unknown> & { pages?: number }>(
        `${path}?updated_at_from=${from}&limit=${UNCERTAIN.rackbeat.listPageLimit}&page=${page}`,
      );
      const batch = (data[key] as Doc[] | undefined) ?? [];
      found.push(...batch.filter((d) => d.updated_at >= since));
      if (batch.length === 0 || page >= (data.pages ?? 1)) return found;
    }
  } catch (error) {
    if (!(error instanceof HttpError && error.status === 422)) throw error;
    if (!refusedFilters.has(path)) {
      refusedFilters.add(path);
      logger().warn({ event: "reconcile.filter_refused", path, ...errorFields(error) });
    }
  }
  return newestFirst(rackbeat, path, key, since, everything);
}

/** The fallback: newest first, stopping at the checkpoint; everything if the order is not kept. */
async function newestFirst(
  rackbeat: RackbeatClient,
  path: string,
  key: string,
  since: string,
  everything: () => Promise<Doc[]>,
): Promise<Doc[]> {
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
): Promise<{ enqueued: number; bookedLater: number }> {
  const token = rackbeatTokenOf(installation);
  const grant = economicGrantOf(installation);
  const settings = await loadSettings(installation.id);
  if (!token || !grant || !settings.activatedAt || installation.status !== "active")
    return { enqueued: 0, bookedLater: 0 };
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
          await enqueue(tx, source.transfer, {
            installationId: installation.id,
            sourceId: number,
            settingsVersion: settings.version,
            // Master data changed since the checkpoint goes again; the one at the checkpoint was seen.
            again: !source.booked && doc.updated_at !== checkpoint?.checkpoint,
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
  // Drafts booked later in e-conomic get their mark queued (only where the setting asks for it).
  const { bookedLater } = settings.values.debtor.markInvoicesAsSent
    ? await sweepBookedLater(installation.id, new EconomicClient(grant))
    : { bookedLater: 0 };
  return { enqueued, bookedLater };
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
