import { and, eq, sql } from "drizzle-orm";
import { getDb, schema, type Executor } from "@/db/client";
import { takeRateLimit } from "@/lib/limits";
import { writeAudit } from "@/lib/audit";
import type { SettingsSection } from "./failure";
import { requeue } from "./queue";

export type RetryOutcome = {
  /** Queued again. */
  count: number;
  /** Left failed because they wait on a settings change (they go by themselves once it is saved). */
  waiting: number;
  /** Retry all was clicked too often; nothing was queued. */
  limited: boolean;
};

/**
 * Retry / Retry all: makes failed transfers due again (one, or all of an installation's), after the
 * customer fixed the cause, by the queue's one requeue rule. Retry all leaves the failures that wait on a
 * settings change: nothing has changed for them, so sending them again could only be refused again; they
 * go by themselves when the setting is saved (`requeueWaitingOn`). A single Retry sends what it is told.
 */
export async function retryFailedTransfers(input: {
  installationId: string;
  transferId?: number;
  actor: string;
}): Promise<RetryOutcome> {
  const all = input.transferId === undefined;
  if (all && !(await takeRateLimit("retryAll", input.installationId)).ok)
    return { count: 0, waiting: 0, limited: true };
  const db = await getDb();
  return db.transaction(async (tx) => {
    const rows = await requeue(tx, {
      installationId: input.installationId,
      statuses: ["failed"],
      ...(all ? { notWaitingOnSettings: true } : { ids: [input.transferId!] }),
    });
    const waiting = all ? await countWaitingOnSettings(tx, input.installationId) : 0;
    if (rows.length)
      await writeAudit(tx, {
        installationId: input.installationId,
        actor: input.actor,
        action: "transfer.retried",
        details: { transfers: rows.map((r) => r.idempotencyKey).slice(0, 50), count: rows.length },
      });
    return { count: rows.length, waiting, limited: false };
  });
}

async function countWaitingOnSettings(tx: Executor, installationId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(schema.transfers)
    .where(
      and(
        eq(schema.transfers.installationId, installationId),
        eq(schema.transfers.status, "failed"),
        sql`${schema.transfers.errorParams} ->> 'setting' is not null`,
      ),
    );
  return row?.n ?? 0;
}

/**
 * "Fixed means retried": failed transfers that waited on a section of the settings (their failure
 * recorded it, `failOnSetting`) are queued again when a save changes that section, in the save's
 * transaction. One history entry per section: "14 failed transfers queued again after Layouts changed".
 */
export async function requeueWaitingOn(
  tx: Executor,
  input: { installationId: string; sections: readonly SettingsSection[]; actor: string },
): Promise<number> {
  let requeued = 0;
  for (const section of new Set(input.sections)) {
    const rows = await requeue(tx, {
      installationId: input.installationId,
      statuses: ["failed"],
      waitingOnSections: [section],
    });
    if (!rows.length) continue;
    requeued += rows.length;
    await writeAudit(tx, {
      installationId: input.installationId,
      actor: input.actor,
      action: "transfer.requeued_after_settings",
      details: { section, count: rows.length },
    });
  }
  return requeued;
}
