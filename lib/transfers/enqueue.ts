import { sql } from "drizzle-orm";
import { schema, type Executor } from "@/db/client";
import type { TransferKind } from "@/db/vocabulary";

/**
 * Puts work in the outbox in the caller's transaction. The idempotency key makes a repeat a no-op, so a
 * document is transferred once however often it is asked for. With `requeue` (master data that can
 * change again), a finished row for the same key is made due again instead. Returns whether a row was
 * created or made due.
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
    requeue?: boolean;
  },
): Promise<boolean> {
  const { requeue, ...values } = row;
  const insert = tx
    .insert(schema.transfers)
    .values({ ...values, payload: values.payload ?? {}, runAfter: sql`now()` });
  const target = [schema.transfers.installationId, schema.transfers.idempotencyKey];
  const created = await (
    requeue
      ? insert.onConflictDoUpdate({
          target,
          set: { status: "pending", runAfter: sql`now()`, attempts: 0, updatedAt: sql`now()` },
          setWhere: sql`${schema.transfers.status} in ('succeeded', 'failed', 'cancelled')`,
        })
      : insert.onConflictDoNothing({ target })
  ).returning({ id: schema.transfers.id });
  return created.length === 1;
}
