import { sql } from "drizzle-orm";
import { schema, type Db } from "@/db/client";

type Tx = Pick<Db, "insert">;

/**
 * Puts work in the outbox in the caller's transaction. The idempotency key makes a repeat a no-op;
 * returns whether a new row was created.
 */
export async function enqueueTransfer(
  tx: Tx,
  row: {
    installationId: string;
    kind: string;
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
