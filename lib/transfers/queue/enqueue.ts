import { and, eq, sql } from "drizzle-orm";
import { schema, type Executor } from "@/db/client";
import { AGAIN, filingEndings } from "./requeue";

/** What the queue needs to know of a kind to put its work in the outbox (a `defineTransfer` result). */
export type Enqueueable = {
  kind: string;
  /** The idempotency key of this kind's transfer of one source: one transfer per key per installation. */
  key: (sourceId: string) => string;
  /** Master data that can change again: a finished transfer of the same key is made due again. */
  repeatable?: boolean;
  /** Checks a payload before it is queued (a zod schema). */
  payload?: { parse: (value: unknown) => object };
};

/**
 * Puts work in the outbox in the caller's transaction. The idempotency key makes a repeat a no-op, so a
 * document is transferred once however often it is asked for. For a repeatable kind a finished row of
 * the same key is queued again (the one requeue rule), and a running one is marked to run once more when
 * it finishes (the change may have come after it read the source). Returns whether a row was created or
 * made due.
 */
export async function enqueue(
  tx: Executor,
  definition: Enqueueable,
  row: {
    installationId: string;
    sourceId: string;
    payload?: object;
    settingsVersion?: number;
    /** Whether a finished row of the same key is queued again (default: the kind's `repeatable`). */
    again?: boolean;
  },
): Promise<boolean> {
  const payload = definition.payload ? definition.payload.parse(row.payload ?? {}) : (row.payload ?? {});
  const again = row.again ?? definition.repeatable;
  const key = definition.key(row.sourceId);
  const sameKey = and(
    eq(schema.transfers.installationId, row.installationId),
    eq(schema.transfers.idempotencyKey, key),
  );
  const insert = (again ? tx.with(filingEndings(tx, sameKey)) : tx).insert(schema.transfers).values({
    installationId: row.installationId,
    kind: definition.kind,
    sourceId: row.sourceId,
    idempotencyKey: key,
    payload,
    settingsVersion: row.settingsVersion,
    runAfter: sql`now()`,
  });
  const target = [schema.transfers.installationId, schema.transfers.idempotencyKey];
  const t = schema.transfers;
  const created = await (
    again
      ? insert.onConflictDoUpdate({
          target,
          set: {
            ...AGAIN,
            status: sql`case when ${t.status} = 'running' then 'running' else 'pending' end`,
            attempts: sql`case when ${t.status} = 'running' then ${t.attempts} else 0 end`,
            completedAt: sql`case when ${t.status} = 'running' then ${t.completedAt} else null end`,
            startedAt: sql`case when ${t.status} = 'running' then ${t.startedAt} else null end`,
            rerun: sql`${t.status} = 'running'`,
            settingsVersion: row.settingsVersion ?? sql`${t.settingsVersion}`,
          },
          setWhere: sql`${t.status} in ('succeeded', 'failed', 'cancelled', 'running')`,
        })
      : insert.onConflictDoNothing({ target })
  ).returning({ id: t.id });
  return created.length === 1;
}
