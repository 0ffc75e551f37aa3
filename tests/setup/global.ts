import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

/**
 * With DATABASE_URL: migrate that (throwaway) Postgres database once.
 * Without: migrate one PGlite and dump it, so each test file starts from a ~1 s clone instead of a ~5 s init.
 */
export default async function setup(project: TestProject) {
  (process.env as Record<string, string>).NODE_ENV = "test";
  if (process.env.DATABASE_URL) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    const client = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await migrate(drizzle(client), { migrationsFolder: path.resolve("db/migrations") });
    await client.end();
    project.provide("pgliteDump", "");
    return;
  }
  const { openPglite } = await import("../../db/client");
  const { client, close } = await openPglite({});
  const dump = await client.dumpDataDir("gzip");
  const file = path.join(mkdtempSync(path.join(tmpdir(), "rbe-pglite-")), "migrated.tar.gz");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await close();
  project.provide("pgliteDump", file);
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteDump: string;
  }
}
