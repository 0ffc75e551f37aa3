import { sql } from "drizzle-orm";
import { schema, type Executor } from "@/db/client";
import type { TransferKind } from "@/db/vocabulary";

/**
 * Puts work in the outbox in the caller's transaction. The idempotency key makes a repeat a no-op;
 * returns whether a new row was created.
 */
export async function enqueueTransfer(
  tx: Executor,
  row: {
    installationId: string;
    kind: TransferKind;
    sourceId: string;
    idempotencyKey: string;
    payload?: Record<string, unknown>;
    settingsVersion?: number;
  },
): Promise<boolean> {
  const created = await tx
    .insert(schema.transfers)
    .values({ ...row, payload: row.payload ?? {}, runAfter: sql`now()` })
    .onConflictDoNothing({ target: [schema.transfers.installationId, schema.transfers.idempotencyKey] })
    .returning({ id: schema.transfers.id });
  return created.length === 1;
}
