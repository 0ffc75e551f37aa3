import { getTableColumns, sql } from "drizzle-orm";
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
 * installations and under each installation's concurrency cap. Each installation offers at most its
 * free slots, its oldest rows first (an index walk, so a backlog of thousands costs no more than one
 * row), and the batch takes every installation's first row before anyone's second. Attempts are counted
 * here. Rows are locked as they are chosen (`FOR UPDATE SKIP LOCKED`, which re-checks each row as it
 * locks it), so concurrent workers take different rows instead of colliding on the same first ones.
 */
export async function claimDue(input: {
  owner: string;
  limit: number;
  /** Only this installation's (or these installations') transfers. */
  installationId?: string | string[];
  /** Only these kinds (the ones the caller can carry out). */
  kinds?: readonly string[];
  /** Not these rows (a long transfer this run already gave its time to). */
  excludeIds?: readonly number[];
  db?: Executor;
}): Promise<Transfer[]> {
  const db = input.db ?? (await getDb());
  const cap = OUTBOX.perInstallationConcurrency;
  const installations =
    input.installationId === undefined
      ? sql``
      : sql`and i.id in (${sql.join(
          [input.installationId].flat().map((id) => sql`${id}`),
          sql`, `,
        )})`;
  const kinds = input.kinds
    ? sql`and t.kind in (${sql.join(
        input.kinds.map((k) => sql`${k}`),
        sql`, `,
      )})`
    : sql``;
  const excluded = input.excludeIds?.length
    ? sql`and t.id not in (${sql.join(
        input.excludeIds.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql``;
  const due = sql`((t.status = 'pending' and t.run_after <= now()) or (t.status = 'running' and t.lease_until < now())) ${excluded}`;
  const claimed = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      with candidates as (
        select c.id, c.installation_id, c.run_after
        from installations i
        cross join lateral (
          select t.id, t.installation_id, t.run_after
          from transfers t
          where t.installation_id = i.id and ${due} ${kinds}
          order by t.run_after, t.id
          limit greatest(
            ${cap} - (select count(*) from transfers r
                      where r.installation_id = i.id and r.status = 'running' and r.lease_until >= now()),
            0)
          for update of t skip locked
        ) c
        where i.status = 'active' ${installations}
      ),
      picked as (
        select id from (
          select id, row_number() over (partition by installation_id order by run_after, id) as rank
          from candidates
        ) ranked
        order by rank, id
        limit ${input.limit}
      )
      update transfers t
      set status = 'running', lease_owner = ${input.owner},
          lease_until = now() + make_interval(secs => ${OUTBOX.leaseSeconds}),
          attempts = t.attempts + 1, updated_at = now()
      from picked
      where t.id = picked.id
      returning t.*`),
  );
  return claimed.map(transferFromRow);
}

/** A row of `returning t.*` (column names) as drizzle's Transfer (property names and types). */
const TRANSFER_COLUMNS = Object.entries(getTableColumns(schema.transfers));
function transferFromRow(row: Record<string, unknown>): Transfer {
  const date = (v: unknown) =>
    v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v));
  const out: Record<string, unknown> = {};
  for (const [property, column] of TRANSFER_COLUMNS) {
    const value = row[column.name];
    if (column.columnType === "PgTimestamp") out[property] = date(value);
    else if (column.columnType === "PgBigSerial53" || column.columnType === "PgInteger")
      out[property] = value === null || value === undefined ? null : Number(value);
    else if (column.columnType === "PgJsonb" && typeof value === "string") out[property] = JSON.parse(value);
    else out[property] = value ?? null;
  }
  return out as Transfer;
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

/** One finished attempt, as `finishAttempts` records it. */
export type Finish = { transfer: Transfer; owner: string; result: AttemptResult; startedAt: Date };

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
  const [held] = await finishAttempts([{ transfer, owner, result, startedAt }]);
  return held;
}

/**
 * Records the end of several attempts in one statement (the row and its attempt record together, so
 * it is all or nothing, each row only while its worker holds the lease). Returns, per item, whether the
 * lease was still held.
 */
export async function finishAttempts(items: Finish[], db?: Executor): Promise<boolean[]> {
  if (!items.length) return [];
  const q = db ?? (await getDb());
  const now = new Date();
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
  const rows = items.map(({ transfer, owner, result, startedAt }) => {
    const r = rowFor(transfer, result, now);
    const failure = "message" in result ? result : undefined;
    return sql`(${transfer.id}::bigint, ${owner}::text, ${r.status}::text, ${r.attemptsDelta}::int,
      ${iso(r.runAfter)}::timestamptz, ${iso(r.completedAt)}::timestamptz, ${failure?.message.code ?? null}::text,
      ${json(failure?.message.params)}::jsonb,
      ${failure && "vendorMessage" in failure ? (failure.vendorMessage ?? null) : null}::text,
      ${result.outcome === "succeeded"}::boolean,
      ${result.outcome === "succeeded" ? (result.economicReference ?? null) : null}::text,
      ${result.outcome === "succeeded" ? json(result.payload) : null}::jsonb,
      ${result.outcome === "succeeded" ? (result.settingsVersion ?? null) : null}::int,
      ${transfer.attempts}::int, ${iso(startedAt)}::timestamptz, ${r.outcome}::text,
      ${failure && "httpStatus" in failure ? (failure.httpStatus ?? null) : null}::int,
      ${failure && "logId" in failure ? (failure.logId ?? null) : null}::text)`;
  });
  const held = rowsOf<{ id: number | string }>(
    await q.execute(sql`
      with input (id, owner, status, attempts_delta, run_after, completed_at, error_code, error_params,
                  vendor_message, set_reference, economic_reference, payload_patch, settings_version,
                  attempt, started_at, outcome, http_status, log_id) as (
        values ${sql.join(rows, sql`, `)}
      ),
      updated as (
        update transfers t set
          status = i.status,
          lease_owner = null, lease_until = null, updated_at = now(),
          attempts = greatest(t.attempts + i.attempts_delta, 0),
          run_after = coalesce(i.run_after, t.run_after),
          completed_at = coalesce(i.completed_at, t.completed_at),
          error_code = i.error_code, error_params = i.error_params, vendor_message = i.vendor_message,
          economic_reference = case when i.set_reference then i.economic_reference else t.economic_reference end,
          payload = case when i.payload_patch is null then t.payload else t.payload || i.payload_patch end,
          settings_version = coalesce(i.settings_version, t.settings_version)
        from input i
        where t.id = i.id and t.status = 'running' and t.lease_owner = i.owner
        returning t.id
      ),
      recorded as (
        insert into transfer_attempts (transfer_id, attempt, started_at, finished_at, outcome, http_status,
                                       economic_log_id, error_code, error_params, vendor_message)
        select i.id, i.attempt, i.started_at, now(), i.outcome, i.http_status, i.log_id, i.error_code,
               i.error_params, i.vendor_message
        from input i join updated u on u.id = i.id
      )
      select id from updated`),
  );
  const ids = new Set(held.map((r) => Number(r.id)));
  return items.map((i) => ids.has(i.transfer.id));
}

/** What an outcome does to its row: the new status, and when it is due again or finished. */
function rowFor(
  transfer: Transfer,
  result: AttemptResult,
  now: Date,
): {
  status: Transfer["status"];
  outcome: AttemptOutcome;
  attemptsDelta: number;
  runAfter: Date | null;
  completedAt: Date | null;
} {
  switch (result.outcome) {
    case "succeeded":
      return {
        status: "succeeded",
        outcome: "succeeded",
        attemptsDelta: 0,
        runAfter: null,
        completedAt: now,
      };
    case "skipped":
      return {
        status: "cancelled",
        outcome: "succeeded",
        attemptsDelta: 0,
        runAfter: null,
        completedAt: now,
      };
    case "continued":
      // A checkpoint, not a try: due again at once, and the attempt is given back.
      return { status: "pending", outcome: "continued", attemptsDelta: -1, runAfter: now, completedAt: null };
    case "paused":
      // A revoked grant pauses the installation, not the row: the attempt is given back. The row waits
      // a minute, so that a pause the claim cannot see (access lost another way) never spins a worker.
      return {
        status: "pending",
        outcome: "paused",
        attemptsDelta: -1,
        runAfter: new Date(now.getTime() + PAUSE_SECONDS * 1000),
        completedAt: null,
      };
    default: {
      const giveUp = givesUp(transfer, result);
      return giveUp
        ? { status: "failed", outcome: "failed", attemptsDelta: 0, runAfter: now, completedAt: now }
        : {
            status: "pending",
            outcome: "retry",
            attemptsDelta: 0,
            runAfter: new Date(
              now.getTime() + backoffSeconds(transfer.attempts, result.retryAfterSeconds) * 1000,
            ),
            completedAt: null,
          };
    }
  }
}
