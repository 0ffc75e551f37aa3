/**
 * Outbox overhead: claim + complete of no-op transfers per second, against pg-boss v12 doing the same on
 * the same Postgres database in the same run. Both with the same number of concurrent workers and the
 * same batch size; the jobs do nothing, so this is the queue's own cost. Ours keeps its per-installation
 * cap and fairness (16 installations × cap 4 = 64 slots for 4 workers × 16). The two alternate over a
 * few rounds (each round: ours, then pg-boss) and the ratio is the median of the rounds' ratios, so a
 * stall of the machine in one round (autovacuum, a checkpoint) does not decide the figure.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";

export type OverheadFigures = {
  jobs: number;
  workers: number;
  rounds: number;
  oursPerSecond: number;
  pgBossPerSecond: number;
  /** Median over the rounds of (ours / pg-boss) measured back to back. */
  ratio: number;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function outboxOverhead(
  databaseUrl: string,
  jobs = 5000,
  workers = 4,
  batch = 16,
  rounds = 3,
): Promise<OverheadFigures> {
  const { getDb, schema } = await import("../../db/client");
  const { claim, finishAndClaim } = await import("../../lib/transfers/queue");
  const db = await getDb();
  const { PgBoss } = await import("pg-boss");
  const boss = new PgBoss({ connectionString: databaseUrl, schema: "pgboss_bench", max: workers + 2 });
  boss.on("error", (error: unknown) => console.error("pg-boss:", error));
  await boss.start();
  const queue = "bench-noop";
  await boss.createQueue(queue);

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

  async function ours(round: number): Promise<number> {
    for (let i = 0; i < jobs; i += 1000)
      await db.insert(schema.transfers).values(
        Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({
          installationId: installations[(i + k) % installations.length],
          kind: "product",
          sourceId: `noop-${round}-${i + k}`,
          idempotencyKey: `noop:${round}:${i + k}`,
        })),
      );
    const started = performance.now();
    let done = 0;
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
          done += claimed.length;
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
        }
      }),
    );
    if (done !== jobs) throw new Error(`overhead bench lost jobs: ours ${done} of ${jobs}`);
    return jobs / ((performance.now() - started) / 1000);
  }

  async function theirs(): Promise<number> {
    for (let i = 0; i < jobs; i += 1000)
      await boss.insert(
        queue,
        Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({ data: { n: i + k } })),
      );
    const started = performance.now();
    let done = 0;
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (;;) {
          const fetched = await boss.fetch(queue, { batchSize: batch });
          if (!fetched.length) return;
          await boss.complete(
            queue,
            fetched.map((j: { id: string }) => j.id),
          );
          done += fetched.length;
        }
      }),
    );
    if (done !== jobs) throw new Error(`overhead bench lost jobs: pg-boss ${done} of ${jobs}`);
    return jobs / ((performance.now() - started) / 1000);
  }

  const figures: { ours: number; theirs: number }[] = [];
  for (let round = 0; round < rounds; round++)
    figures.push({ ours: await ours(round), theirs: await theirs() });
  await boss.stop({ graceful: false });
  return {
    jobs,
    workers,
    rounds,
    oursPerSecond: median(figures.map((f) => f.ours)),
    pgBossPerSecond: median(figures.map((f) => f.theirs)),
    ratio: median(figures.map((f) => f.ours / f.theirs)),
  };
}
