import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { schema, type Executor } from "@/db/client";
import type { TransferStatus } from "@/db/vocabulary";
import type { Message } from "@/lib/messages";

/**
 * The one rule for "queue it again" (Retry, Retry all, a manual transfer, a settings fix, a changed
 * product): due now with a full set of attempts, no completion time, no current error. The attempt
 * history stays, and `attemptsTotal` keeps counting, so the next attempt knows an earlier one may have
 * written and looks before it writes.
 */
export const AGAIN = {
  status: "pending",
  attempts: 0,
  runAfter: sql`now()`,
  completedAt: null,
  errorCode: null,
  errorParams: null,
  vendorMessage: null,
  rerun: false,
  startedAt: null,
  updatedAt: sql`now()`,
} as const;

/** Which of an installation's transfers a requeue or cancel applies to (always one installation's). */
export type Selection = {
  installationId: string;
  statuses: readonly TransferStatus[];
  ids?: readonly number[];
  idempotencyKeys?: readonly string[];
  kind?: string;
  /** Only failures that recorded waiting on one of these settings sections (`failOnSetting`). */
  waitingOnSections?: readonly string[];
  /** Not the failures that wait on a settings section. */
  notWaitingOnSettings?: boolean;
};

function where(s: Selection): SQL | undefined {
  const t = schema.transfers;
  return and(
    eq(t.installationId, s.installationId),
    inArray(t.status, [...s.statuses]),
    ...(s.ids ? [inArray(t.id, [...s.ids])] : []),
    ...(s.idempotencyKeys ? [inArray(t.idempotencyKey, [...s.idempotencyKeys])] : []),
    ...(s.kind ? [eq(t.kind, s.kind)] : []),
    ...(s.waitingOnSections
      ? [inArray(sql<string>`${t.errorParams} ->> 'setting'`, [...s.waitingOnSections])]
      : []),
    ...(s.notWaitingOnSettings ? [sql`(${t.errorParams} ->> 'setting') is null`] : []),
  );
}

/**
 * A CTE that files the selected rows' own endings (the attempt that succeeded or skipped, which the row
 * itself records: lib/transfers/queue/finish.ts) into the attempt history, before the rows start anew.
 * Only an ending an attempt made has a start: a row cancelled while waiting, or finished before rows kept
 * their ending (its ending was filed then), has none and files nothing.
 */
export function filingEndings(tx: Executor, rows: SQL | undefined) {
  const t = schema.transfers;
  return tx.$with("filed", { n: sql<number>`n` }).as(sql`
    insert into transfer_attempts (transfer_id, attempt, started_at, finished_at, outcome, error_code, error_params)
    select ${t.id}, ${t.attempts}, ${t.startedAt}, ${t.completedAt}, 'succeeded', ${t.errorCode}, ${t.errorParams}
    from ${t}
    where ${rows} and ${t.status} in ('succeeded', 'cancelled') and ${t.completedAt} is not null
      and ${t.startedAt} is not null
    returning 1 as n`);
}

/** Queues the selected transfers again, by the one rule (their earlier endings filed). Returns what was queued. */
export async function requeue(tx: Executor, selection: Selection) {
  if (selection.ids?.length === 0 || selection.idempotencyKeys?.length === 0) return [];
  const rows = where(selection);
  return tx.with(filingEndings(tx, rows)).update(schema.transfers).set(AGAIN).where(rows).returning({
    id: schema.transfers.id,
    idempotencyKey: schema.transfers.idempotencyKey,
    errorParams: schema.transfers.errorParams,
  });
}

/**
 * Cancels the selected transfers that are waiting (they will not be tried), with the reason shown on
 * them. Returns how many.
 */
export async function cancel(
  tx: Executor,
  selection: Omit<Selection, "statuses">,
  reason?: Message,
): Promise<number> {
  const rows = await tx
    .update(schema.transfers)
    .set({
      status: "cancelled",
      completedAt: sql`now()`,
      startedAt: null,
      rerun: false,
      errorCode: reason?.code ?? null,
      errorParams: reason?.params ?? null,
      updatedAt: sql`now()`,
    })
    .where(where({ ...selection, statuses: ["pending"] }))
    .returning({ id: schema.transfers.id });
  return rows.length;
}

/**
 * Records what e-conomic holds now for a finished transfer (the customer booked our draft later): the
 * reference and a note in the payload. The status does not change.
 */
export async function recordReference(
  tx: Executor,
  input: { installationId: string; id: number; economicReference: string; note?: object },
): Promise<void> {
  await tx
    .update(schema.transfers)
    .set({
      economicReference: input.economicReference,
      ...(input.note
        ? { payload: sql`${schema.transfers.payload} || ${JSON.stringify(input.note)}::jsonb` }
        : {}),
    })
    .where(and(eq(schema.transfers.installationId, input.installationId), eq(schema.transfers.id, input.id)));
}
