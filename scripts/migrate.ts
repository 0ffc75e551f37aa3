// `npm run db:migrate`: applies db/migrations to DATABASE_URL (PGlite migrates itself on open).
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { MIGRATIONS_FOLDER } from "../db/client";
import { env } from "../lib/env";

const { databaseUrl } = env();
if (!databaseUrl) {
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
