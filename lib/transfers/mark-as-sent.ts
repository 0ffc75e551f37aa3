import { and, eq, isNull, like, sql } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import type { EconomicClient } from "@/lib/economic/client";
import { eqFilter } from "@/lib/economic/filter";
import { HttpError } from "@/lib/http";
import { errorFields, logger } from "@/lib/log";
import { message, type Message } from "@/lib/messages";
import type { RackbeatClient } from "@/lib/rackbeat/client";
import { UNCERTAIN } from "@/lib/uncertain";
import { invoiceReference } from "./reference";

/**
 * "Mark invoices as sent when posted in e-conomic": the Rackbeat invoice is marked once e-conomic holds
 * it booked, whether we booked it or the customer booked our draft later in e-conomic. A mark that fails
 * never fails the invoice (it is in e-conomic either way): it is recorded on the transfer and the reconcile
 * sweep tries it again.
 */
export async function markAsSent(
  rackbeat: RackbeatClient,
  transferId: number,
  invoiceNumber: string,
): Promise<boolean> {
  const db = await getDb();
  const where = eq(schema.transfers.id, transferId);
  try {
    await rackbeat.request(UNCERTAIN.rackbeat.markAsSentPath(invoiceNumber), { method: "POST", body: {} });
    await db.update(schema.transfers).set({ markedAsSentAt: new Date(), markAsSentError: null }).where(where);
    return true;
  } catch (error) {
    const reason: Message = message("transfer.mark_as_sent_failed", {
      status: error instanceof HttpError ? String(error.status) : "",
    });
    logger().warn({
      event: "transfer.mark_as_sent_failed",
      transferId,
      invoiceNumber,
      ...errorFields(error),
    });
    await db.update(schema.transfers).set({ markAsSentError: reason }).where(where);
    return false;
  }
}

/** Succeeded invoice transfers whose settings version had "Mark invoices as sent" on. */
const markWanted = sql`exists (select 1 from ${schema.settingsVersions} v
  where v.installation_id = ${schema.transfers.installationId} and v.version = ${schema.transfers.settingsVersion}
    and (v.values -> 'debtor' ->> 'markInvoicesAsSent') = 'true')`;

/**
 * The sweep's part: finds our drafts the customer has since booked in e-conomic (by our reference, 25 per
 * call), records their booked number, and marks every booked invoice not yet marked. Bounded per run.
 */
export async function sweepSentMarks(
  installationId: string,
  economic: EconomicClient,
  rackbeat: RackbeatClient,
  limit = 200,
): Promise<{ bookedLater: number; marked: number }> {
  const db = await getDb();
  const mine = and(
    eq(schema.transfers.installationId, installationId),
    eq(schema.transfers.kind, "customer_invoice"),
    eq(schema.transfers.status, "succeeded"),
    isNull(schema.transfers.markedAsSentAt),
    markWanted,
  );
  const drafts = await db
    .select({ id: schema.transfers.id, sourceId: schema.transfers.sourceId })
    .from(schema.transfers)
    .where(and(mine, like(schema.transfers.economicReference, "draft:%")))
    .limit(limit);
  let bookedLater = 0;
  for (let i = 0; i < drafts.length; i += 25) {
    const chunk = drafts.slice(i, i + 25);
    // `$in:` takes numbers only (economic-constraints.md), so the references are joined with `$or:`.
    const filter = chunk.map((d) => eqFilter("references.other", invoiceReference(d.sourceId))).join("$or:");
    const booked = await economic.listAll<{ bookedInvoiceNumber: number; references?: { other?: string } }>(
      `/invoices/booked?filter=${encodeURIComponent(filter)}`,
    );
    for (const invoice of booked) {
      const draft = chunk.find((d) => invoiceReference(d.sourceId) === invoice.references?.other);
      if (!draft) continue;
      await db
        .update(schema.transfers)
        .set({
          economicReference: `booked:${invoice.bookedInvoiceNumber}`,
          payload: sql`${schema.transfers.payload} || '{"bookedLaterInEconomic": true}'::jsonb`,
        })
        .where(eq(schema.transfers.id, draft.id));
      bookedLater++;
    }
  }
  const toMark = await db
    .select({ id: schema.transfers.id, sourceId: schema.transfers.sourceId })
    .from(schema.transfers)
    .where(and(mine, like(schema.transfers.economicReference, "booked:%")))
    .limit(limit);
  let marked = 0;
  for (const t of toMark) if (await markAsSent(rackbeat, t.id, t.sourceId)) marked++;
  return { bookedLater, marked };
}
