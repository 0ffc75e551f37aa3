import { readFileSync } from "node:fs";
import { afterAll, beforeAll, inject } from "vitest";
import { closeDb, getDb, openPglite, setDbForTests, type Db } from "@/db/client";

/**
 * Gives a test file its database: the real Postgres of DATABASE_URL (migrated once by the global setup),
 * or a clone of a migrated PGlite. Returns a getter usable inside tests.
 */
export function withTestDb(): () => Db {
  let db: Db | undefined;
  beforeAll(async () => {
    await closeDb();
    const dump = inject("pgliteDump");
    if (dump) {
      const blob = new Blob([readFileSync(dump)]);
      const opened = await openPglite({ loadDataDir: blob });
      setDbForTests(opened.db, opened.close);
    }
    db = await getDb();
  });
  afterAll(async () => {
    await closeDb();
  });
  return () => {
    if (!db) throw new Error("withTestDb(): the database is not ready yet (use it inside a test or hook).");
    return db;
  };
}
