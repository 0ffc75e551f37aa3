import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, inject } from "vitest";
import { closeDb, getDb, openPglite, setDbForTests, type Db } from "@/db/client";
import { resetEnvForTests } from "@/lib/env";

/**
 * Gives a test file a database of its own, so that files running in parallel never see each other's
 * rows: a clone of a migrated PGlite, or — with DATABASE_URL — a new Postgres database copied from the
 * one the global setup migrated (`CREATE DATABASE … TEMPLATE`, dropped afterwards). DATABASE_URL points
 * at the file's own database while it runs, for tests that open connections of their own.
 */
export function withTestDb(): () => Db {
  let db: Db | undefined;
  let dropOwn: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    await closeDb();
    const dump = inject("pgliteDump");
    if (dump) {
      const blob = new Blob([readFileSync(dump)]);
      const opened = await openPglite({ loadDataDir: blob });
      setDbForTests(opened.db, opened.close);
    } else if (process.env.DATABASE_URL) {
      dropOwn = await useOwnPostgresDatabase();
    }
    db = await getDb();
  });
  afterAll(async () => {
    await closeDb();
    await dropOwn?.();
  });
  return () => {
    if (!db) throw new Error("withTestDb(): the database is not ready yet (use it inside a test or hook).");
    return db;
  };
}

async function useOwnPostgresDatabase(): Promise<() => Promise<void>> {
  const { default: postgres } = await import("postgres");
  process.env.TEST_TEMPLATE_DATABASE_URL ??= process.env.DATABASE_URL;
  const template = new URL(process.env.TEST_TEMPLATE_DATABASE_URL!);
  const templateName = template.pathname.slice(1);
  const name = `${templateName}_f${randomBytes(4).toString("hex")}`;
  const adminUrl = new URL(template);
  adminUrl.pathname = "/postgres";
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${templateName}"`);
  } finally {
    await admin.end();
  }
  const own = new URL(template);
  own.pathname = `/${name}`;
  process.env.DATABASE_URL = own.toString();
  resetEnvForTests();
  return async () => {
    const again = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
    try {
      await again.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await again.end();
    }
  };
}
