import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "@/db/client";
import { checkHealth } from "@/lib/health";
import { withTestDb } from "@/tests/helpers/db";

const db = withTestDb();

describe("database", () => {
  it("is reachable, migrated, and reported healthy", async () => {
    const health = await checkHealth();
    expect(health.ok).toBe(true);
    expect(health.database.kind).toBe(process.env.DATABASE_URL ? "postgres" : "pglite");
    const tables = await db().execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public'`,
    );
    const names = (
      Array.isArray(tables) ? tables : (tables as unknown as { rows: { table_name: string }[] }).rows
    ).map((r) => r.table_name);
    for (const t of [
      "installations",
      "pending_installs",
      "settings",
      "transfers",
      "transfer_attempts",
      "audit_log",
    ])
      expect(names).toContain(t);
  });

  it("keeps one transfer per idempotency key per installation", async () => {
    const [installation] = await db()
      .insert(schema.installations)
      .values({
        rackbeatAccountId: `acct-${crypto.randomUUID()}`,
        rackbeatCompanyName: "Test",
        economicAgreementNumber: 1,
        economicCompanyName: "Test",
      })
      .returning();
    const row = {
      installationId: installation.id,
      idempotencyKey: "customer_invoice:10042",
      kind: "customer_invoice" as const,
      sourceId: "10042",
    };
    await db().insert(schema.transfers).values(row);
    const again = await db().insert(schema.transfers).values(row).onConflictDoNothing().returning();
    expect(again).toHaveLength(0);
    const rows = await db()
      .select()
      .from(schema.transfers)
      .where(
        and(
          eq(schema.transfers.installationId, installation.id),
          eq(schema.transfers.idempotencyKey, row.idempotencyKey),
        ),
      );
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe("pending");
  });
});
