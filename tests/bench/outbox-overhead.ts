/**
 * Outbox overhead: claim + complete of no-op transfers per second, against pg-boss v12 doing the same on
 * the same Postgres database in the same run. Both with the same number of concurrent workers and the
 * same batch size; the jobs do nothing, so this is the queue's own cost.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";

export type OverheadFigures = {
  jobs: number;
  workers: number;
  oursPerSecond: number;
  pgBossPerSecond: number;
};

export async function outboxOverhead(
  databaseUrl: string,
  jobs = 5000,
  workers = 4,
  batch = 16,
): Promise<OverheadFigures> {
  const { getDb, schema } = await import("../../db/client");
  const { claim, finishAndClaim } = await import("../../lib/transfers/queue");
  const db = await getDb();

  // Our outbox: the rows spread over installations, as in production (each has a concurrency cap of 4).
  const installations = Array.from({ length: 16 }, () => randomUUID());
  await db.insert(schema.installations).values(
    installations.map((id, i) => ({
      id,
      rackbeatAccountId: `bench-overhead-${i}-${id}`,
      rackbeatCompanyName: "Bench",
      economicAgreementNumber: 900_000 + i,
      economicCompanyName: "Bench",
      status: "active" as const,
    })),
  );
  for (let i = 0; i < jobs; i += 1000)
    await db.insert(schema.transfers).values(
      Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({
        installationId: installations[(i + k) % installations.length],
        kind: "product" as const,
        sourceId: `noop-${i + k}`,
        idempotencyKey: `noop:${i + k}`,
      })),
    );
  const statements: number[] = [];
  const oursStarted = performance.now();
  let ours = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      const owner = `bench-${randomUUID()}`;
      const input = { owner, limit: batch, installationId: installations, kinds: ["product"] };
      // As the worker does: a batch's outcomes are recorded in the statement that claims the next batch.
      let claimed = await claim(input);
      for (;;) {
        if (!claimed.length) {
          const [{ left }] = await db
            .select({ left: sql<number>`count(*)::int` })
            .from(schema.transfers)
            .where(sql`kind = 'product' and status in ('pending', 'running') and source_id like 'noop-%'`);
          if (!left) return;
          claimed = await claim(input);
          continue;
        }
        ours += claimed.length;
        const next = await finishAndClaim(
          claimed.map((transfer) => ({
            transfer,
            owner,
            result: { outcome: "succeeded" as const },
            startedAt: new Date(),
          })),
          input,
        );
        claimed = next.claimed;
        if (process.env.BENCH_DEBUG) statements.push(claimed.length);
      }
    }),
  );
  const oursSeconds = (performance.now() - oursStarted) / 1000;
  if (process.env.BENCH_DEBUG)
    console.log(
      "statements",
      statements.length,
      "rows",
      statements.reduce((a, b) => a + b, 0),
      "empty",
      statements.filter((n) => !n).length,
    );

  // pg-boss v12, in a schema of its own on the same database.
  const { PgBoss } = await import("pg-boss");
  const boss = new PgBoss({ connectionString: databaseUrl, schema: "pgboss_bench", max: workers + 2 });
  boss.on("error", (error: unknown) => console.error("pg-boss:", error));
  await boss.start();
  const queue = "bench-noop";
  await boss.createQueue(queue);
  for (let i = 0; i < jobs; i += 1000)
    await boss.insert(
      queue,
      Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({ data: { n: i + k } })),
    );
  const bossStarted = performance.now();
  let theirs = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (;;) {
        const fetched = await boss.fetch(queue, { batchSize: batch });
        if (!fetched.length) return;
        await boss.complete(
          queue,
          fetched.map((j: { id: string }) => j.id),
        );
        theirs += fetched.length;
      }
    }),
  );
  const bossSeconds = (performance.now() - bossStarted) / 1000;
  await boss.stop({ graceful: false });
  if (ours !== jobs || theirs !== jobs)
    throw new Error(`overhead bench lost jobs: ours ${ours}, pg-boss ${theirs}`);
  return { jobs, workers, oursPerSecond: ours / oursSeconds, pgBossPerSecond: theirs / bossSeconds };
}
