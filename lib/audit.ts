import { schema, type Executor } from "@/db/client";
import type { AuditAction } from "@/db/vocabulary";

export type { AuditAction };

/** Appends to the customer's change history. Never put a token in `details`. */
export async function writeAudit(
  db: Executor,
  entry: {
    installationId: string | null;
    actor: string;
    action: AuditAction;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db.insert(schema.auditLog).values({
    installationId: entry.installationId,
    actor: entry.actor,
    action: entry.action,
    details: entry.details ?? {},
  });
}
