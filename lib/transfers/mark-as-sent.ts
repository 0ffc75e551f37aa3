import { and, eq, isNull, like, lte, or, sql } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { ACTORS } from "@/lib/actors";
import { writeAudit } from "@/lib/audit";
import type { EconomicClient } from "@/lib/economic/client";
import { eqFilter } from "@/lib/economic/filter";
import { HttpError } from "@/lib/http";
import { errorFields, logger } from "@/lib/log";
import type { MessageCode } from "@/lib/messages";
import type { RackbeatClient } from "@/lib/rackbeat/client";
import { UNCERTAIN } from "@/lib/uncertain";
import { invoiceReference } from "./reference";

/** A refused mark is tried again this many times, further apart each time; then it is left as shown. */
export const MARK_TRIES = 4;
const MARK_BACKOFF_MINUTES = 10;

/** What a transfer records of a mark not taken: the worded reason, how often tried, and when next. */
type MarkError = { code: string; params: Record<string, string>; tries: number; nextAt?: string };

/**
 * "Mark invoices as sent when posted in e-conomic": the Rackbeat invoice is marked once e-conomic holds
 * it booked, whether we booked it or the customer booked our draft later in e-conomic. A mark that fails
 * never fails the invoice (it is in e-conomic either way). Rackbeat documents no such call
 * (rackbeat-api.md §8): an answer that says there is none (404/405) is recorded once for the
 * installation and no mark is tried again, for any invoice, until the setting is switched off and on.
 * Any other refusal is tried again a few times, further apart each time.
 */
export function markAsSent(
  rackbeat: RackbeatClient,
  installationId: string,
  transferId: number,
  invoiceNumber: string,
): Promise<boolean> {
  // One mark at a time per installation in this process, each after a fresh look at the flag: the
  // transfers of one batch run side by side, and only the first may hear "no such call".
  const previous = markQueue.get(installationId) ?? Promise.resolve(true);
  const next = previous
    .catch(() => false)
    .then(async () =>
      (await marksPossible(installationId))
        ? tryMark(rackbeat, installationId, transferId, invoiceNumber)
        : false,
    );
  markQueue.set(installationId, next);
  void next.finally(() => {
    if (markQueue.get(installationId) === next) markQueue.delete(installationId);
  });
  return next;
}
const markQueue = new Map<string, Promise<boolean>>();

async function tryMark(
  rackbeat: RackbeatClient,
  installationId: string,
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
    const status = error instanceof HttpError ? error.status : undefined;
    logger().warn({
      event: "transfer.mark_as_sent_failed",
      transferId,
      invoiceNumber,
      ...errorFields(error),
    });
    if (status === 404 || status === 405) {
      await recordUnavailable(installationId, status);
      const unavailable: MarkError = {
        code: "transfer.mark_as_sent_unavailable" satisfies MessageCode,
        params: { status: String(status) },
        tries: 1,
      };
      await db.update(schema.transfers).set({ markAsSentError: unavailable }).where(where);
      return false;
    }
    await db
      .update(schema.transfers)
      .set({
        markAsSentError: sql`jsonb_build_object(
          'code', 'transfer.mark_as_sent_failed',
          'params', jsonb_build_object('status', ${status === undefined ? "" : String(status)}::text),
          'tries', coalesce((${schema.transfers.markAsSentError} ->> 'tries')::int, 0) + 1,
          'nextAt', to_char((now() + make_interval(mins => ${MARK_BACKOFF_MINUTES} * power(2, coalesce((${schema.transfers.markAsSentError} ->> 'tries')::int, 0))::int)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))`,
      })
      .where(where);
    return false;
  }
}

/** Rackbeat has no mark-as-sent call: kept once for the installation (the first to see it writes the history). */
async function recordUnavailable(installationId: string, status: number) {
  const db = await getDb();
  const changed = await db
    .update(schema.installations)
    .set({ markAsSentUnavailable: { status, at: new Date().toISOString() } })
    .where(
      and(eq(schema.installations.id, installationId), isNull(schema.installations.markAsSentUnavailable)),
    )
    .returning({ id: schema.installations.id });
  if (changed.length)
    await writeAudit(db, {
      installationId,
      actor: ACTORS.system,
      action: "transfer.mark_as_sent_unavailable",
      details: { status: String(status) },
    });
}

/** Whether marks may be tried for this installation (Rackbeat has not said it offers no such call). */
export async function marksPossible(installationId: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db
    .select({ unavailable: schema.installations.markAsSentUnavailable })
    .from(schema.installations)
    .where(eq(schema.installations.id, installationId));
  return !row?.unavailable;
}

/** Succeeded invoice transfers whose settings version had "Mark invoices as sent" on. */
const markWanted = sql`exists (select 1 from ${schema.settingsVersions} v
  where v.installation_id = ${schema.transfers.installationId} and v.version = ${schema.transfers.settingsVersion}
    and (v.values -> 'debtor' ->> 'markInvoicesAsSent') = 'true')`;

/** Not refused yet, or refused fewer than MARK_TRIES times and due again. */
const markDue = or(
  isNull(schema.transfers.markAsSentError),
  and(
    sql`coalesce((${schema.transfers.markAsSentError} ->> 'tries')::int, 0) < ${MARK_TRIES}`,
    lte(
      sql`(${schema.transfers.markAsSentError} ->> 'nextAt')`,
      sql`to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`,
    ),
  ),
);

/**
 * The sweep's part: finds our drafts the customer has since booked in e-conomic (by our reference, 25 per
 * call), records their booked number, and marks every booked invoice not yet marked and due. Bounded per
 * run; no mark at all once Rackbeat said it has no such call.
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
  let marked = 0;
  if (!(await marksPossible(installationId))) return { bookedLater, marked };
  const toMark = await db
    .select({ id: schema.transfers.id, sourceId: schema.transfers.sourceId })
    .from(schema.transfers)
    .where(and(mine, markDue, like(schema.transfers.economicReference, "booked:%")))
    .limit(limit);
  // One after another; markAsSent looks at the flag before each, so after "no such call" none follows.
  for (const t of toMark) if (await markAsSent(rackbeat, installationId, t.id, t.sourceId)) marked++;
  return { bookedLater, marked };
}
