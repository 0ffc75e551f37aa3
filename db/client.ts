import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** An open transaction, as handed to the callback of `db.transaction`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/**
 * What repositories run their queries on: the database, or the caller's transaction, so that a use case
 * can write its row, its outbox row and its audit row atomically.
 */
export type Executor = Db | Tx;

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

type Holder = { db?: Promise<Db>; close?: () => Promise<void> };
// Kept on globalThis so that Next's hot reload does not open a second PGlite on the same directory.
const holder: Holder = ((globalThis as Record<string, unknown>).__rbeDb as Holder) ?? {};
(globalThis as Record<string, unknown>).__rbeDb = holder;

/** The app's database: postgres.js when DATABASE_URL is set, embedded PGlite otherwise. */
export function getDb(): Promise<Db> {
  holder.db ??= open().catch((error) => {
    holder.db = undefined;
    throw error;
  });
  return holder.db;
}

async function open(): Promise<Db> {
  const { databaseUrl, pgliteDir, nodeEnv } = env();
  if (databaseUrl) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    // Small pool, short idle timeout: serverless functions come and go.
    const client = postgres(databaseUrl, {
      max: 5,
      idle_timeout: 20,
      connect_timeout: 10,
      onnotice: () => {},
    });
    holder.close = () => client.end({ timeout: 5 });
    return drizzle(client, { schema }) as unknown as Db;
  }
  const dataDir = pgliteDir ?? (nodeEnv === "test" ? undefined : path.join(process.cwd(), ".data", "pglite"));
  const { db, close } = await openPglite({ dataDir });
  holder.close = close;
  return db;
}

/** Opens (and migrates) a PGlite database. `loadDataDir` clones a dump of an already migrated one. */
export async function openPglite(options: {
  dataDir?: string;
  loadDataDir?: Blob | File;
}): Promise<{ db: Db; close: () => Promise<void>; client: import("@electric-sql/pglite").PGlite }> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  if (options.dataDir) {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(options.dataDir, { recursive: true });
  }
  const client = new PGlite({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db: db as unknown as Db, close: () => client.close(), client };
}

/** Tests install their own database (a PGlite clone, or a postgres.js pool) before using the app. */
export function setDbForTests(db: Db, close?: () => Promise<void>): void {
  holder.db = Promise.resolve(db);
  holder.close = close;
}

export async function closeDb(): Promise<void> {
  const close = holder.close;
  holder.db = undefined;
  holder.close = undefined;
  await close?.();
}

export { schema };
