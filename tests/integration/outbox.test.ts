import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { schema, type Db } from "@/db/client";
import { message } from "@/lib/messages";
import {
  backoffSeconds,
  cancel,
  claim,
  DEFAULT_RETRY,
  enqueue as enqueueTransfer,
  FAULT_ATTEMPTS,
  finish,
  finishAndClaim,
  givesUp,
  OUTBOX,
  requeue,
  type AttemptResult,
  type ClaimInput,
  type Transfer,
} from "@/lib/transfers/queue";

const KINDS = ["customer_invoice"];
const claimDue = ({ db: own, ...input }: Omit<ClaimInput, "kinds"> & { db?: Db }) =>
  claim({ ...input, kinds: KINDS }, own);
const finishAttempt = async (transfer: Transfer, owner: string, result: AttemptResult, startedAt: Date) =>
  (await finish([{ transfer, owner, result, startedAt }]))[0];
import { classify } from "@/lib/transfers/failure";
import { withOwnEnding } from "@/lib/transfers/queries";
import { withTestDb } from "@/tests/helpers/db";

/** The outbox's SQL on its own: claim, lease, fairness, cap, finish, backoff. */
const db = withTestDb();
const made: string[] = [];

async function installation(status: "active" | "economic_revoked" = "active") {
  const [row] = await db()
    .insert(schema.installations)
    .values({
      rackbeatAccountId: `outbox-${randomUUID()}`,
      rackbeatCompanyName: "Outbox ApS",
      economicAgreementNumber: 1,
      economicCompanyName: "Outbox ApS",
      status,
    })
    .returning();
  made.push(row.id);
  return row.id;
}
async function enqueue(installationId: string, n: number, from = 0) {
  await db()
    .insert(schema.transfers)
    .values(
      Array.from({ length: n }, (_, i) => ({
        installationId,
        kind: "customer_invoice" as const,
        sourceId: String(from + i),
        idempotencyKey: `customer_invoice:${from + i}`,
      })),
    );
}

beforeEach(async () => {
  // Other files' transfers must not be claimed here: each test claims only its own installations' rows.
  if (made.length) await db().delete(schema.installations).where(inArray(schema.installations.id, made));
  made.length = 0;
});
afterAll(async () => {
  if (made.length) await db().delete(schema.installations).where(inArray(schema.installations.id, made));
});

describe("claiming", () => {
  it("takes due rows of active installations, counts the attempt and sets a short lease", async () => {
    const a = await installation();
    const paused = await installation("economic_revoked");
    await enqueue(a, 2);
    await enqueue(paused, 2);
    const claimed = await claimDue({ owner: "w1", limit: 10, installationId: a });
    expect(claimed.map((t) => t.sourceId).sort()).toEqual(["0", "1"]);
    for (const t of claimed) {
      expect(t).toMatchObject({ status: "running", leaseOwner: "w1", attempts: 1 });
      expect(t.leaseUntil!.getTime() - Date.now()).toBeLessThanOrEqual(OUTBOX.leaseSeconds * 1000 + 1000);
    }
    expect(await claimDue({ owner: "w2", limit: 10, installationId: paused })).toEqual([]);
    expect(await claimDue({ owner: "w2", limit: 10, installationId: a })).toEqual([]);
  });

  it("keeps each installation under its concurrency cap, and one backlog never starves another", async () => {
    const busy = await installation();
    const single = await installation();
    await enqueue(busy, 200);
    await enqueue(single, 1);
    const first = await claimDue({ owner: "w1", limit: 16, installationId: [busy, single] });
    const mine = first.filter((t) => t.installationId === busy || t.installationId === single);
    expect(mine.filter((t) => t.installationId === busy)).toHaveLength(OUTBOX.perInstallationConcurrency);
    expect(mine.filter((t) => t.installationId === single)).toHaveLength(1);
    // With its cap in use, the busy installation gets nothing more until a lease ends.
    expect((await claimDue({ owner: "w2", limit: 16, installationId: busy })).length).toBe(0);
  });

  it("reclaims a row whose worker died (lease expired); the dead worker can no longer finish it", async () => {
    const a = await installation();
    await enqueue(a, 1);
    const [t] = await claimDue({ owner: "dead", limit: 1, installationId: a });
    await db()
      .update(schema.transfers)
      .set({ leaseUntil: sql`now() - interval '1 second'` })
      .where(eq(schema.transfers.id, t.id));
    const [again] = await claimDue({ owner: "alive", limit: 1, installationId: a });
    expect(again).toMatchObject({ id: t.id, leaseOwner: "alive", attempts: 2 });
    expect(await finishAttempt(t, "dead", { outcome: "succeeded", economicReference: "x" }, new Date())).toBe(
      false,
    );
    expect(
      await finishAttempt(
        again,
        "alive",
        { outcome: "succeeded", economicReference: "booked:1" },
        new Date(),
      ),
    ).toBe(true);
    const [row] = await db().select().from(schema.transfers).where(eq(schema.transfers.id, t.id));
    expect(row).toMatchObject({ status: "succeeded", economicReference: "booked:1", leaseOwner: null });
  });

  it("backs off a transient failure, stops a permanent one, and gives an attempt back on pause", async () => {
    const a = await installation();
    await enqueue(a, 3);
    const [t1, t2, t3] = (await claimDue({ owner: "w", limit: 3, installationId: a })).sort(
      (x, y) => Number(x.sourceId) - Number(y.sourceId),
    );
    await finishAttempt(
      t1,
      "w",
      {
        outcome: "retry",
        message: message("transfer.service_busy", { service: "e-conomic" }),
        retryAfterSeconds: 120,
      },
      new Date(),
    );
    await finishAttempt(
      t2,
      "w",
      {
        outcome: "failed",
        message: message("transfer.economic_refused"),
        vendorMessage: "Layout does not exist.",
        httpStatus: 400,
        logId: "abc",
      },
      new Date(),
    );
    await finishAttempt(
      t3,
      "w",
      { outcome: "paused", message: message("transfer.economic_access_revoked") },
      new Date(),
    );
    const rows = new Map(
      (
        await db()
          .select()
          .from(schema.transfers)
          .where(inArray(schema.transfers.id, [t1.id, t2.id, t3.id]))
      ).map((r) => [r.id, r]),
    );
    expect(rows.get(t1.id)).toMatchObject({ status: "pending", errorCode: "transfer.service_busy" });
    expect(rows.get(t1.id)!.runAfter.getTime()).toBeGreaterThanOrEqual(Date.now() + 115_000);
    expect(rows.get(t2.id)).toMatchObject({ status: "failed", vendorMessage: "Layout does not exist." });
    expect(rows.get(t3.id)).toMatchObject({ status: "pending", attempts: 0 });
    const attempts = await db()
      .select()
      .from(schema.transferAttempts)
      .where(eq(schema.transferAttempts.transferId, t2.id));
    expect(attempts).toEqual([
      expect.objectContaining({ outcome: "failed", httpStatus: 400, economicLogId: "abc" }),
    ]);
  });

  it("gives up after the last attempt", async () => {
    const a = await installation();
    await enqueue(a, 1);
    await db()
      .update(schema.transfers)
      .set({ attempts: DEFAULT_RETRY.maxAttempts - 1 })
      .where(eq(schema.transfers.installationId, a));
    const [t] = await claimDue({ owner: "w", limit: 1, installationId: a });
    await finishAttempt(
      t,
      "w",
      { outcome: "retry", message: message("transfer.service_busy", { service: "e-conomic" }) },
      new Date(),
    );
    const [row] = await db().select().from(schema.transfers).where(eq(schema.transfers.id, t.id));
    expect(row.status).toBe("failed");
  });
});

describe("the queue core's rules", () => {
  const row = async (id: number) =>
    (await db().select().from(schema.transfers).where(eq(schema.transfers.id, id)))[0];
  const busy = {
    outcome: "retry" as const,
    message: message("transfer.service_busy", { service: "e-conomic" }),
  };

  it("finishes a batch and claims the next in one statement; finished rows free their installation's slots", async () => {
    const a = await installation();
    await enqueue(a, 8);
    const first = await claimDue({ owner: "w", limit: 16, installationId: a });
    expect(first).toHaveLength(OUTBOX.perInstallationConcurrency);
    const [lost, ...rest] = first;
    await db()
      .update(schema.transfers)
      .set({ leaseOwner: "someone-else" })
      .where(eq(schema.transfers.id, lost.id));
    const next = await finishAndClaim(
      first.map((transfer) => ({
        transfer,
        owner: "w",
        result: { outcome: "succeeded" },
        startedAt: new Date(),
      })),
      { owner: "w", limit: 16, installationId: a, kinds: KINDS },
    );
    // Three finished (one lease was lost): three slots free for the same installation in the same statement.
    expect(next.held).toEqual([false, true, true, true]);
    expect(next.claimed).toHaveLength(3);
    expect(next.claimed.every((t) => t.status === "running" && t.attempts === 1)).toBe(true);
    expect(next.claimed.map((t) => t.id)).not.toEqual(expect.arrayContaining([rest[0].id]));
    for (const t of rest) expect((await row(t.id)).status).toBe("succeeded");
    expect((await row(lost.id)).status).toBe("running");
  });

  it("requeue is one rule: a transfer that gave up after its last attempt gets a full set again, and its history stays", async () => {
    const a = await installation();
    await enqueue(a, 1);
    await db()
      .update(schema.transfers)
      .set({ attempts: DEFAULT_RETRY.maxAttempts - 1, attemptsTotal: DEFAULT_RETRY.maxAttempts - 1 })
      .where(eq(schema.transfers.installationId, a));
    const [t] = await claimDue({ owner: "w", limit: 1, installationId: a });
    await finishAttempt(t, "w", busy, new Date());
    expect(await row(t.id)).toMatchObject({ status: "failed", attempts: DEFAULT_RETRY.maxAttempts });
    expect((await row(t.id)).completedAt).toBeInstanceOf(Date);

    const requeued = await requeue(db(), {
      installationId: a,
      statuses: ["failed"],
      idempotencyKeys: [t.idempotencyKey],
    });
    expect(requeued).toHaveLength(1);
    expect(await row(t.id)).toMatchObject({
      status: "pending",
      attempts: 0,
      attemptsTotal: DEFAULT_RETRY.maxAttempts,
      completedAt: null,
      errorCode: null,
    });
    const history = await db()
      .select()
      .from(schema.transferAttempts)
      .where(eq(schema.transferAttempts.transferId, t.id));
    expect(history).toHaveLength(1);
    // The next attempt is the first of a new allowance, and knows an earlier one may have written.
    const [again] = await claimDue({ owner: "w", limit: 1, installationId: a });
    expect(again).toMatchObject({ attempts: 1, attemptsTotal: DEFAULT_RETRY.maxAttempts + 1 });
    await finishAttempt(again, "w", busy, new Date());
    expect((await row(t.id)).status).toBe("pending");
  });

  it("a change that arrives while its transfer runs makes it run once more when it finishes", async () => {
    const a = await installation();
    const product = {
      kind: "customer_invoice",
      key: (n: string) => `customer_invoice:${n}`,
      repeatable: true,
    };
    await enqueue(a, 1);
    const [t] = await claimDue({ owner: "w", limit: 1, installationId: a });
    expect(await enqueueTransfer(db(), product, { installationId: a, sourceId: t.sourceId })).toBe(true);
    expect(await row(t.id)).toMatchObject({ status: "running", rerun: true, leaseOwner: "w" });
    const next = await finishAndClaim(
      [{ transfer: t, owner: "w", result: { outcome: "succeeded" }, startedAt: new Date() }],
      { owner: "w", limit: 1, installationId: a, kinds: KINDS },
    );
    expect(next.held).toEqual([true]);
    // The claim in the same statement cannot see it yet: it says so, and the worker claims once more.
    expect(next.dueAgain).toBe(1);
    expect(await row(t.id)).toMatchObject({
      status: "pending",
      attempts: 0,
      rerun: false,
      completedAt: null,
    });
    expect(await claimDue({ owner: "w", limit: 1, installationId: a })).toHaveLength(1);
  });

  it("a success is kept on the row (no history write) and filed when the row is queued again", async () => {
    const a = await installation();
    await enqueue(a, 1);
    const [t] = await claimDue({ owner: "w", limit: 1, installationId: a });
    await finishAttempt(t, "w", { outcome: "succeeded", economicReference: "product:1" }, new Date());
    const history = () =>
      db().select().from(schema.transferAttempts).where(eq(schema.transferAttempts.transferId, t.id));
    expect(await history()).toEqual([]);
    const done = await row(t.id);
    expect(done.startedAt).toBeInstanceOf(Date);
    expect(withOwnEnding(done, []).map((x) => [x.attempt, x.outcome])).toEqual([[1, "succeeded"]]);
    // Queued again (a changed product): its first run's success moves into the history, once.
    const repeatable = {
      kind: "customer_invoice",
      key: (n: string) => `customer_invoice:${n}`,
      repeatable: true,
    };
    await enqueueTransfer(db(), repeatable, { installationId: a, sourceId: t.sourceId });
    await enqueueTransfer(db(), repeatable, { installationId: a, sourceId: t.sourceId });
    expect((await history()).map((x) => [x.attempt, x.outcome, x.finishedAt?.getTime()])).toEqual([
      [1, "succeeded", done.completedAt!.getTime()],
    ]);
    const [again] = await claimDue({ owner: "w", limit: 1, installationId: a });
    await finishAttempt(again, "w", { outcome: "succeeded" }, new Date());
    const shown = withOwnEnding(await row(t.id), await history());
    expect(shown.map((x) => [x.attempt, x.outcome])).toEqual([
      [1, "succeeded"],
      [1, "succeeded"],
    ]);
  });

  it("follow-ups exist exactly when the success is recorded", async () => {
    const a = await installation();
    await enqueue(a, 2);
    const [t1, t2] = await claimDue({ owner: "w", limit: 2, installationId: a });
    const followUp = (t: Transfer) => ({
      kind: "mark_as_sent",
      sourceId: t.sourceId,
      idempotencyKey: `mark_as_sent:${t.sourceId}`,
    });
    const held = await finish([
      {
        transfer: t1,
        owner: "w",
        result: { outcome: "succeeded", followUps: [followUp(t1)] },
        startedAt: new Date(),
      },
      // A worker whose lease was lost records nothing, and asks for nothing.
      {
        transfer: t2,
        owner: "gone",
        result: { outcome: "succeeded", followUps: [followUp(t2)] },
        startedAt: new Date(),
      },
    ]);
    expect(held).toEqual([true, false]);
    const keys = (
      await db().select().from(schema.transfers).where(eq(schema.transfers.installationId, a))
    ).map((r) => r.idempotencyKey);
    expect(keys).toContain(`mark_as_sent:${t1.sourceId}`);
    expect(keys).not.toContain(`mark_as_sent:${t2.sourceId}`);
  });

  it("an unexpected fault fails after a few attempts, not the kind's full allowance", async () => {
    const a = await installation();
    await enqueue(a, 1);
    const fault = {
      outcome: "retry" as const,
      message: message("transfer.internal", { reference: "abc123" }),
      fault: true,
    };
    for (let attempt = 1; attempt <= FAULT_ATTEMPTS; attempt++) {
      await db()
        .update(schema.transfers)
        .set({ runAfter: sql`now()` })
        .where(eq(schema.transfers.installationId, a));
      const [t] = await claimDue({ owner: "w", limit: 1, installationId: a });
      expect(t.attempts).toBe(attempt);
      expect(givesUp(t, fault)).toBe(attempt === FAULT_ATTEMPTS);
      await finishAttempt(t, "w", fault, new Date());
    }
    const [t] = await db().select().from(schema.transfers).where(eq(schema.transfers.installationId, a));
    expect(t).toMatchObject({
      status: "failed",
      errorCode: "transfer.internal",
      errorParams: { reference: "abc123" },
    });
  });

  it("an error no rule expected is classified as a fault on our side, with a reference for its log line", () => {
    const result = classify(new TypeError("Cannot read properties of undefined (reading 'number')"));
    expect(result).toMatchObject({ outcome: "retry", fault: true, message: { code: "transfer.internal" } });
    expect(result.message.params?.reference).toMatch(/^[0-9a-f]{8}$/);
    // Two faults get two references (each finds its own log line).
    expect(classify(new Error("x")).message.params?.reference).not.toBe(result.message.params?.reference);
  });

  it("cancel ends waiting transfers with a reason and leaves running ones alone", async () => {
    const a = await installation();
    await enqueue(a, 2);
    const [running] = await claimDue({ owner: "w", limit: 1, installationId: a });
    const cancelled = await cancel(
      db(),
      { installationId: a, kind: "customer_invoice" },
      message("transfer.mark_as_sent_unavailable", { status: "404" }),
    );
    expect(cancelled).toBe(1);
    const rows = await db().select().from(schema.transfers).where(eq(schema.transfers.installationId, a));
    expect(rows.find((r) => r.id === running.id)!.status).toBe("running");
    expect(rows.find((r) => r.id !== running.id)).toMatchObject({
      status: "cancelled",
      errorCode: "transfer.mark_as_sent_unavailable",
    });
  });
});

describe("backoff", () => {
  it("doubles from the base with jitter, caps, and never comes before Retry-After", () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const full = Math.min(
        DEFAULT_RETRY.maxBackoffSeconds,
        DEFAULT_RETRY.baseBackoffSeconds * 2 ** (attempt - 1),
      );
      expect(backoffSeconds(attempt, undefined, DEFAULT_RETRY, () => 0)).toBe(Math.round(full / 2));
      expect(backoffSeconds(attempt, undefined, DEFAULT_RETRY, () => 0.999999)).toBe(Math.round(full));
    }
    expect(backoffSeconds(1, 600, DEFAULT_RETRY, () => 0)).toBe(600);
  });
});

/**
 * Two workers must never claim the same row. PGlite has a single connection, so this race runs where
 * CI runs the suite a second time: on real Postgres (DATABASE_URL).
 */
describe.runIf(Boolean(process.env.DATABASE_URL))("claim race on Postgres", () => {
  it("8 workers on their own connections claim 400 rows, each exactly once", async () => {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const installations = await Promise.all(Array.from({ length: 100 }, () => installation()));
    for (const [i, id] of installations.entries()) await enqueue(id, 4, i * 10);
    const clients = Array.from({ length: 8 }, () =>
      postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} }),
    );
    try {
      const seen = new Map<number, string>();
      const only = new Set(installations);
      await Promise.all(
        clients.map(async (client, w) => {
          const own = drizzle(client, { schema }) as unknown as Db;
          for (;;) {
            const batch = await claimDue({
              owner: `w${w}`,
              limit: 7,
              db: own,
              installationId: installations,
            });
            const mine = batch.filter((t) => only.has(t.installationId));
            if (!batch.length) return;
            for (const t of mine) {
              expect(seen.has(t.id)).toBe(false);
              seen.set(t.id, `w${w}`);
            }
            for (const t of batch)
              await own
                .update(schema.transfers)
                .set({ status: "succeeded", leaseOwner: null, leaseUntil: null })
                .where(eq(schema.transfers.id, t.id));
          }
        }),
      );
      expect(seen.size).toBe(400);
      expect(new Set(seen.values()).size).toBeGreaterThan(1);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});
