import { and, eq, inArray, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { getDb, schema, type Executor } from "@/db/client";
import type { AttemptOutcome } from "@/db/vocabulary";
import type { Message } from "@/lib/messages";

export type Transfer = typeof schema.transfers.$inferSelect;

/**
 * The outbox's rules, in one place. A lease is short: a worker that dies mid-transfer gives its rows
 * back within a minute. Each installation runs at most PER_INSTALLATION_CONCURRENCY transfers at once,
 * which keeps its agreement inside e-conomic's rate limits, and a batch takes at most that many rows per
 * installation, so one installation's backlog never delays another's single invoice past the next run.
 */
export const OUTBOX = {
  leaseSeconds: 60,
  perInstallationConcurrency: 4,
  maxAttempts: 8,
  /** First retry after this many seconds, doubling each attempt, up to maxBackoffSeconds, with jitter. */
  baseBackoffSeconds: 30,
  maxBackoffSeconds: 3600,
} as const;

const PAUSE_SECONDS = 60;

const rowsOf = <T>(result: unknown): T[] =>
  Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);

/**
 * Claims up to `limit` due transfers in one statement: pending ones whose time has come and running
 * ones whose lease expired (their worker died), of active installations only, fair across
 * installations and under each installation's concurrency cap. Attempts are counted here. The final
 * `FOR UPDATE SKIP LOCKED` re-checks each row as it locks it, so two workers never claim the same row.
 */
export async function claimDue(input: {
  owner: string;
  limit: number;
  /** Only this installation's (or these installations') transfers. */
  installationId?: string | string[];
  /** Only these kinds (the ones the caller can carry out). */
  kinds?: readonly string[];
  db?: Executor;
}): Promise<Transfer[]> {
  const db = input.db ?? (await getDb());
  const cap = OUTBOX.perInstallationConcurrency;
  const only = sql.join(
    [
      input.installationId === undefined
        ? sql``
        : sql`and t.installation_id in (${sql.join(
            [input.installationId].flat().map((id) => sql`${id}`),
            sql`, `,
          )})`,
      input.kinds
        ? sql`and t.kind in (${sql.join(
            input.kinds.map((k) => sql`${k}`),
            sql`, `,
          )})`
        : sql``,
    ],
    sql` `,
  );
  const claimed = rowsOf<{ id: number | string }>(
    await db.execute(sql`
      with due as (
        select t.id, t.installation_id,
               row_number() over (partition by t.installation_id order by t.run_after, t.id) as rank
        from transfers t
        join installations i on i.id = t.installation_id and i.status = 'active'
        where ((t.status = 'pending' and t.run_after <= now())
            or (t.status = 'running' and t.lease_until < now()))
        ${only}
      ),
      busy as (
        select installation_id, count(*) as running
        from transfers
        where status = 'running' and lease_until >= now()
        group by installation_id
      ),
      picked as (
        select due.id
        from due left join busy on busy.installation_id = due.installation_id
        where due.rank <= ${cap} - coalesce(busy.running, 0)
        order by due.rank, due.id
        limit ${input.limit}
      ),
      locked as (
        select id from transfers
        where id in (select id from picked)
          and ((status = 'pending' and run_after <= now()) or (status = 'running' and lease_until < now()))
        for update skip locked
      )
      update transfers t
      set status = 'running', lease_owner = ${input.owner},
          lease_until = now() + make_interval(secs => ${OUTBOX.leaseSeconds}),
          attempts = t.attempts + 1, updated_at = now()
      from locked
      where t.id = locked.id
      returning t.id`),
  );
  if (!claimed.length) return [];
  return db
    .select()
    .from(schema.transfers)
    .where(
      inArray(
        schema.transfers.id,
        claimed.map((r) => Number(r.id)),
      ),
    );
}

/** What a worker reports when it is done with one attempt. */
export type AttemptResult =
  | {
      outcome: "succeeded";
      economicReference?: string;
      payload?: Record<string, unknown>;
      settingsVersion?: number;
    }
  | { outcome: "skipped"; message: Message }
  /** A long transfer stopped at its own checkpoint within its time: due again at once, no attempt used. */
  | { outcome: "continued" }
  | {
      outcome: "retry" | "failed" | "paused";
      message: Message;
      vendorMessage?: string;
      httpStatus?: number;
      logId?: string;
      retryAfterSeconds?: number;
    };

/** Whether this result ends the transfer as failed: a permanent failure, or the last attempt's retry. */
export const givesUp = (transfer: Pick<Transfer, "attempts">, result: AttemptResult) =>
  result.outcome === "failed" || (result.outcome === "retry" && transfer.attempts >= OUTBOX.maxAttempts);

/** Seconds until the next attempt: exponential from the attempt number, with jitter, never before Retry-After. */
export function backoffSeconds(attempts: number, retryAfterSeconds?: number, random = Math.random): number {
  const exponential = Math.min(
    OUTBOX.maxBackoffSeconds,
    OUTBOX.baseBackoffSeconds * 2 ** Math.max(0, attempts - 1),
  );
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.max(retryAfterSeconds ?? 0, Math.round(jittered));
}

/**
 * Records the end of an attempt, only while this worker still holds the lease (a worker whose lease
 * expired and was reclaimed changes nothing). Returns false when the lease was lost.
 */
export async function finishAttempt(
  transfer: Transfer,
  owner: string,
  result: AttemptResult,
  startedAt: Date,
): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const held = and(
      eq(schema.transfers.id, transfer.id),
      eq(schema.transfers.status, "running"),
      eq(schema.transfers.leaseOwner, owner),
    );
    const now = new Date();
    const clear = { leaseOwner: null, leaseUntil: null, updatedAt: now };
    let set: PgUpdateSetSource<typeof schema.transfers>;
    let outcome: AttemptOutcome;
    switch (result.outcome) {
      case "succeeded":
        outcome = "succeeded";
        set = {
          ...clear,
          status: "succeeded",
          completedAt: now,
          economicReference: result.economicReference ?? null,
          errorCode: null,
          errorParams: null,
          vendorMessage: null,
          ...(result.payload ? { payload: { ...(transfer.payload as object), ...result.payload } } : {}),
          ...(result.settingsVersion ? { settingsVersion: result.settingsVersion } : {}),
        };
        break;
      case "skipped":
        outcome = "succeeded";
        set = {
          ...clear,
          status: "cancelled",
          completedAt: now,
          errorCode: result.message.code,
          errorParams: result.message.params ?? null,
        };
        break;
      case "continued":
        outcome = "continued";
        set = {
          ...clear,
          status: "pending",
          attempts: sql`greatest(${schema.transfers.attempts} - 1, 0)`,
          runAfter: now,
          errorCode: null,
          errorParams: null,
          vendorMessage: null,
        };
        break;
      case "paused":
        // A revoked grant pauses the installation, not the row: the attempt is given back. The row waits
        // a minute, so that a pause the claim cannot see (access lost another way) never spins a worker.
        outcome = "paused";
        set = {
          ...clear,
          status: "pending",
          attempts: sql`greatest(${schema.transfers.attempts} - 1, 0)`,
          runAfter: new Date(now.getTime() + PAUSE_SECONDS * 1000),
          errorCode: result.message.code,
          errorParams: result.message.params ?? null,
          vendorMessage: result.vendorMessage ?? null,
        };
        break;
      default: {
        const giveUp = givesUp(transfer, result);
        outcome = giveUp ? "failed" : "retry";
        set = {
          ...clear,
          status: giveUp ? "failed" : "pending",
          runAfter: giveUp
            ? now
            : new Date(now.getTime() + backoffSeconds(transfer.attempts, result.retryAfterSeconds) * 1000),
          errorCode: result.message.code,
          errorParams: result.message.params ?? null,
          vendorMessage: result.vendorMessage ?? null,
          ...(giveUp ? { completedAt: now } : {}),
        };
      }
    }
    const updated = await tx
      .update(schema.transfers)
      .set(set)
      .where(held)
      .returning({ id: schema.transfers.id });
    if (!updated.length) return false;
    const failure = result.outcome === "succeeded" || result.outcome === "continued" ? undefined : result;
    await tx.insert(schema.transferAttempts).values({
      transferId: transfer.id,
      attempt: transfer.attempts,
      startedAt,
      finishedAt: now,
      outcome,
      httpStatus: failure && "httpStatus" in failure ? (failure.httpStatus ?? null) : null,
      economicLogId: failure && "logId" in failure ? (failure.logId ?? null) : null,
      errorCode: failure?.message.code ?? null,
      errorParams: failure?.message.params ?? null,
      vendorMessage: failure && "vendorMessage" in failure ? (failure.vendorMessage ?? null) : null,
    });
    return true;
  });
}
