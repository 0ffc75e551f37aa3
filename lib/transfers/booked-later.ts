import { and, eq, like, sql } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import type { EconomicClient } from "@/lib/economic/client";
import { eqFilter } from "@/lib/economic/filter";
import { customerInvoice } from "./kinds/customer-invoice";
import { markAsSent } from "./kinds/mark-as-sent";
import { enqueue, recordReference } from "./queue";
import { invoiceReference } from "./reference";

/** Succeeded invoice transfers whose settings version had "Mark invoices as sent" on. */
const markWanted = sql`exists (select 1 from ${schema.settingsVersions} v
  where v.installation_id = ${schema.transfers.installationId} and v.version = ${schema.transfers.settingsVersion}
    and (v.values -> 'debtor' ->> 'markInvoicesAsSent') = 'true')`;

/**
 * The sweep's part of "Mark invoices as sent": finds our drafts the customer has since booked in
 * e-conomic (by our reference, 25 per call), records their booked number, and queues the mark. Bounded
 * per run.
 */
export async function sweepBookedLater(
  installationId: string,
  economic: EconomicClient,
  limit = 200,
): Promise<{ bookedLater: number }> {
  const db = await getDb();
  const drafts = await db
    .select({ id: schema.transfers.id, sourceId: schema.transfers.sourceId })
    .from(schema.transfers)
    .where(
      and(
        eq(schema.transfers.installationId, installationId),
        eq(schema.transfers.kind, customerInvoice.kind),
        eq(schema.transfers.status, "succeeded"),
        like(schema.transfers.economicReference, "draft:%"),
        markWanted,
      ),
    )
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
      await db.transaction(async (tx) => {
        await recordReference(tx, {
          installationId,
          id: draft.id,
          economicReference: `booked:${invoice.bookedInvoiceNumber}`,
          note: { bookedLaterInEconomic: true },
        });
        await enqueue(tx, markAsSent, { installationId, sourceId: draft.sourceId });
      });
      bookedLater++;
    }
  }
  return { bookedLater };
}
