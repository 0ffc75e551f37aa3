import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";

export type Health = {
  ok: boolean;
  database: { ok: boolean; kind: "postgres" | "pglite"; latencyMs?: number; error?: string };
  sandbox: boolean;
};

/** Liveness plus database reachability, for /api/health and uptime monitors. */
export async function checkHealth(): Promise<Health> {
  const { databaseUrl, sandbox } = env();
  const kind = databaseUrl ? "postgres" : "pglite";
  const started = performance.now();
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return {
      ok: true,
      database: { ok: true, kind, latencyMs: Math.round(performance.now() - started) },
      sandbox,
    };
  } catch (error) {
    // The message names the failure without leaking the connection string.
    const message =
      error instanceof Error
        ? error.message.replace(/postgres(ql)?:\/\/\S+/g, "postgres://…")
        : "unknown error";
    return { ok: false, database: { ok: false, kind, error: message }, sandbox };
  }
}
