// `npm run db:migrate`: applies db/migrations to DATABASE_URL (PGlite migrates itself on open).
// In production and CI a missing DATABASE_URL is an error, never a silent success.
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { MIGRATIONS_FOLDER } from "../db/client";
import { EnvError, env } from "../lib/env";

let config;
try {
  config = env();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const { databaseUrl, nodeEnv, ci, vercelEnv, migratePreviewDatabase } = config;
// vercel.json migrates in the build. A preview build of an unmerged branch must not change the schema of
// whatever database its environment names (often production's): only production builds migrate, unless
// previews are declared to have a database of their own.
if (vercelEnv === "preview" && !migratePreviewDatabase) {
  console.log(
    "Preview deployment: migrations are not applied (production deployments apply them). Set MIGRATE_PREVIEW_DATABASE=1 if previews have a database of their own.",
  );
  process.exit(0);
}
if (!databaseUrl) {
  if (nodeEnv === "production" || ci) {
    console.error(
      "DATABASE_URL is not set: `npm run db:migrate` needs the Postgres database to migrate (postgres://…).",
    );
    process.exit(1);
  }
  console.log("DATABASE_URL is not set: the embedded PGlite database migrates itself when the app starts.");
  process.exit(0);
}
const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
try {
  await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  console.log("Migrations applied.");
} finally {
  await client.end();
}
