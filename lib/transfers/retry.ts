import { getDb, type Executor } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import type { SettingsSection } from "./failure";
import { requeue } from "./queue";

/**
 * Retry / Retry all: makes failed transfers due again (one, or all of an installation's), after the
 * customer fixed the cause, by the queue's one requeue rule. Returns how many were queued again.
 */
export async function retryFailedTransfers(input: {
  installationId: string;
  transferId?: number;
  actor: string;
}): Promise<number> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const rows = await requeue(tx, {
      installationId: input.installationId,
      statuses: ["failed"],
      ...(input.transferId !== undefined ? { ids: [input.transferId] } : {}),
    });
    if (rows.length)
      await writeAudit(tx, {
        installationId: input.installationId,
        actor: input.actor,
        action: "transfer.retried",
        details: { transfers: rows.map((r) => r.idempotencyKey).slice(0, 50), count: rows.length },
      });
    return rows.length;
  });
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
