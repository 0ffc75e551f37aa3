import { schema, type Db } from "@/db/client";

type Tx = Pick<Db, "insert">;

/** Appends to the activity log. Never put a token in `details`. */
export async function writeAudit(
  db: Tx,
  entry: { installationId: string | null; actor: string; action: string; details?: Record<string, unknown> },
): Promise<void> {
  await db.insert(schema.auditLog).values({
    installationId: entry.installationId,
    actor: entry.actor,
    action: entry.action,
    details: entry.details ?? {},
  });
}
