import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";

type Unsafe = {
  unsafe: (text: string, params: unknown[], options: { prepare: boolean }) => Promise<unknown[]>;
};
const dialect = new PgDialect();

/**
 * Runs one of the queue's hot statements as a named prepared statement where the driver offers it
 * (postgres.js): the statement's text never changes (every argument is a parameter, the batches are JSON),
 * so Postgres plans it once per connection instead of on every batch — a third of the statement's time,
 * measured. Elsewhere (PGlite, a transaction) it runs as any other statement.
 */
export async function executePrepared<T>(db: Executor, statement: SQL): Promise<T[]> {
  const client = (db as { $client?: Partial<Unsafe> }).$client;
  if (typeof client?.unsafe === "function") {
    const { sql, params } = dialect.sqlToQuery(statement);
    return (await client.unsafe(sql, params, { prepare: true })) as T[];
  }
  const result = await db.execute(statement);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
