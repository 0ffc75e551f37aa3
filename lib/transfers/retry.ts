import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, schema, type Executor } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import type { SettingsSection } from "./failure";

/**
 * Makes failed transfers due again (one, or all of an installation's), after the customer fixed the
 * cause. The attempts continue counting, so the next attempt looks for what an earlier one may have
 * created before writing. Returns how many were queued again.
 */
export async function retryFailedTransfers(input: {
  installationId: string;
  transferId?: number;
  actor: string;
}): Promise<number> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(schema.transfers)
      // attempts 1: the next attempt (2) looks before it writes, and gets a full set of retries.
      .set({ status: "pending", runAfter: sql`now()`, attempts: 1, completedAt: null, updatedAt: sql`now()` })
      .where(
        and(
          eq(schema.transfers.installationId, input.installationId),
          inArray(schema.transfers.status, ["failed"]),
          ...(input.transferId !== undefined ? [eq(schema.transfers.id, input.transferId)] : []),
        ),
      )
      .returning({ id: schema.transfers.id, key: schema.transfers.idempotencyKey });
    if (rows.length)
      await writeAudit(tx, {
        installationId: input.installationId,
        actor: input.actor,
        action: "transfer.retried",
        details: { transfers: rows.map((r) => r.key).slice(0, 50), count: rows.length },
      });
    return rows.length;
  });
}

/**
 * "Fixed means retried": failed transfers that waited on a section of the settings (their failure
 * recorded it, `failOnSetting`) are queued again when a save changes that section, with the same rule
 * as Retry, in the save's transaction. One history entry per section: "14 failed transfers queued
 * again after Layouts changed".
 */
export async function requeueWaitingOn(
  tx: Executor,
  input: { installationId: string; sections: readonly SettingsSection[]; actor: string },
): Promise<number> {
  if (!input.sections.length) return 0;
  const rows = await tx
    .update(schema.transfers)
    .set({ status: "pending", runAfter: sql`now()`, attempts: 1, completedAt: null, updatedAt: sql`now()` })
    .where(
      and(
        eq(schema.transfers.installationId, input.installationId),
        eq(schema.transfers.status, "failed"),
        inArray(sql<string>`${schema.transfers.errorParams} ->> 'setting'`, [...input.sections]),
      ),
    )
    .returning({ params: schema.transfers.errorParams });
  const bySection = new Map<string, number>();
  for (const r of rows) {
    const section = (r.params as { setting?: string } | null)?.setting ?? "";
    bySection.set(section, (bySection.get(section) ?? 0) + 1);
  }
  for (const [section, count] of bySection)
    await writeAudit(tx, {
      installationId: input.installationId,
      actor: input.actor,
      action: "transfer.requeued_after_settings",
      details: { section, count },
    });
  return rows.length;
}
