/**
 * The bench's database: with DATABASE_URL, a throwaway Postgres database on that server (created,
 * migrated, dropped at the end), so figures come from real Postgres; without it, an embedded PGlite.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export async function benchDatabase(): Promise<{ url?: string; drop: () => Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    process.env.PGLITE_DIR = mkdtempSync(path.join(tmpdir(), "rbe-bench-"));
    return { drop: async () => {} };
  }
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const { MIGRATIONS_FOLDER } = await import("../../db/client");
  const admin = new URL(server);
  admin.pathname = "/postgres";
  const name = `rbe_bench_${randomBytes(4).toString("hex")}`;
  const sqlAdmin = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  await sqlAdmin.unsafe(`create database "${name}"`);
  await sqlAdmin.end();
  const own = new URL(server);
  own.pathname = `/${name}`;
  const client = postgres(own.toString(), { max: 1, onnotice: () => {} });
  await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  await client.end();
  process.env.DATABASE_URL = own.toString();
  return {
    url: own.toString(),
    drop: async () => {
      const again = postgres(admin.toString(), { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists "${name}" with (force)`);
      await again.end();
    },
  };
}
