import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { getDb, schema } from "@/db/client";
import { ACTORS } from "@/lib/actors";
import { writeAudit } from "@/lib/audit";
import { HttpError } from "@/lib/http";
import { message } from "@/lib/messages";
import { UNCERTAIN } from "@/lib/uncertain";
import { skip, TransferFailure } from "../failure";
import { cancel, type FollowUp } from "../queue";
import type { Succeeded, TransferContext } from "./context";
import { defineTransfer } from "./define";

/**
 * "Mark invoices as sent when posted in e-conomic": a follow-up of a customer invoice that e-conomic holds
 * booked (we booked it, or the customer booked our draft later), with its own row, retries and status,
 * so a mark that fails never fails the invoice. Rackbeat documents no such call (rackbeat-api.md §8): an
 * answer that says there is none (404/405) is recorded once for the installation, the other marks waiting
 * are cancelled, and none is tried again until the setting is switched off and on. Any other refusal is
 * tried again four times in all, from ten minutes apart.
 */
export const markAsSent = defineTransfer({
  kind: "mark_as_sent",
  key: (invoiceNumber) => `mark_as_sent:${invoiceNumber}`,
  payload: z.looseObject({}),
  retry: { maxAttempts: 4, baseBackoffSeconds: 600, maxBackoffSeconds: 6 * 3600 },
  run: (ctx) => serialised(ctx.installation.id, () => mark(ctx)),
});

/** The follow-up an invoice transfer asks for once e-conomic holds its invoice booked. */
export const markAsSentFollowUp = (invoiceNumber: string | number): FollowUp => ({
  kind: markAsSent.kind,
  sourceId: String(invoiceNumber),
  idempotencyKey: markAsSent.key(String(invoiceNumber)),
});

async function mark(ctx: TransferContext): Promise<Succeeded> {
  if (!ctx.settings.debtor.markInvoicesAsSent)
    throw skip(message("transfer.part_not_active", { part: "mark_as_sent" }));
  if (!(await marksPossible(ctx.installation.id))) throw unavailable(undefined);
  try {
    await ctx.rackbeat.request(UNCERTAIN.rackbeat.markAsSentPath(ctx.transfer.sourceId), {
      method: "POST",
      body: {},
    });
  } catch (error) {
    const status = error instanceof HttpError ? error.status : undefined;
    if (status === 404 || status === 405) {
      await recordUnavailable(ctx.installation.id, status);
      throw unavailable(status);
    }
    if (error instanceof HttpError && status !== undefined && status < 500 && status !== 429)
      throw new TransferFailure({
        outcome: "retry",
        message: message("transfer.mark_as_sent_failed", { status: String(status) }),
        httpStatus: status,
      });
    throw error;
  }
  return { outcome: "succeeded", economicReference: undefined, settingsVersion: ctx.settingsVersion };
}

const unavailableMessage = (status: number | undefined) =>
  message("transfer.mark_as_sent_unavailable", { status: status === undefined ? "" : String(status) });
const unavailable = (status: number | undefined) => skip(unavailableMessage(status));

/**
 * One mark at a time per installation in this process, each after a fresh look at the flag: the marks of
 * one batch run side by side, and only the first may hear "no such call".
 */
const queue = new Map<string, Promise<unknown>>();
function serialised<T>(installationId: string, work: () => Promise<T>): Promise<T> {
  // The previous mark's failure is its own caller's (returned to it and classified there); here it only
  // means "this one may go now", as does the copy of this promise kept for the cleanup.
  const next = (queue.get(installationId) ?? Promise.resolve()).catch(() => undefined).then(work);
  queue.set(installationId, next);
  void next
    .finally(() => {
      if (queue.get(installationId) === next) queue.delete(installationId);
    })
    .catch(() => undefined);
  return next;
}

/** Rackbeat has no mark-as-sent call: kept once for the installation, its waiting marks cancelled. */
async function recordUnavailable(installationId: string, status: number) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const changed = await tx
      .update(schema.installations)
      .set({ markAsSentUnavailable: { status, at: new Date().toISOString() } })
      .where(
        and(eq(schema.installations.id, installationId), isNull(schema.installations.markAsSentUnavailable)),
      )
      .returning({ id: schema.installations.id });
    if (!changed.length) return;
    await writeAudit(tx, {
      installationId,
      actor: ACTORS.system,
      action: "transfer.mark_as_sent_unavailable",
      details: { status: String(status) },
    });
    await cancel(tx, { installationId, kind: markAsSent.kind }, unavailableMessage(status));
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
