import { and, eq } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import type { TransferKind } from "@/db/vocabulary";
import { EconomicClient } from "@/lib/economic/client";
import { economicGrantOf, rackbeatTokenOf, type Installation } from "@/lib/installations/repository";
import { errorFields, logger } from "@/lib/log";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { loadSettings } from "@/lib/settings/repository";
import type { SettingsValues } from "@/lib/settings/schema";
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
    path: "/customer-invoices?is_booked=true",
    key: "customer_invoices",
    booked: true,
    number: (d) => String(d.number),
    on: (s) => s.debtor.enabled,
  },
  supplier_invoice: {
    path: "/supplier-invoices?is_booked=true",
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
    // Rackbeat's lists cannot be filtered on updated_at (rackbeat-api.md): compare here, `>=` so that a
    // document sharing the checkpoint's second is looked at again (queueing it twice is a no-op).
    const docs = (await rackbeat.listAll<Doc>(source.path, source.key))
      .filter(
        (d) => (!source.booked || d.is_booked) && (!checkpoint || d.updated_at >= checkpoint.checkpoint),
      )
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
