import { sql, type SQL } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import type { AttemptOutcome, TransferStatus } from "@/db/vocabulary";
import { backoffSeconds, DEFAULT_RETRY, FAULT_ATTEMPTS, OUTBOX, type RetryPolicy } from "./policy";
import type { AttemptResult, Transfer } from "./types";

/** One finished attempt: the row as claimed, the worker that holds it, what happened, and the kind's policy. */
export type Finish = {
  transfer: Transfer;
  owner: string;
  result: AttemptResult;
  startedAt: Date;
  retry?: RetryPolicy;
};

/** Whether this result ends the transfer as failed: a permanent failure, or the last allowed retry. */
export function givesUp(
  transfer: Pick<Transfer, "attempts">,
  result: AttemptResult,
  policy: RetryPolicy = DEFAULT_RETRY,
): boolean {
  if (result.outcome === "failed") return true;
  if (result.outcome !== "retry") return false;
  return (
    transfer.attempts >= (result.fault ? Math.min(FAULT_ATTEMPTS, policy.maxAttempts) : policy.maxAttempts)
  );
}

/** What an outcome does to its row: the new status, and when it is due again or finished. */
function rowFor(item: Finish, now: Date) {
  const { transfer, result } = item;
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
  const row = (
    status: TransferStatus,
    outcome: AttemptOutcome,
    attemptsDelta: number,
    runAfter?: string,
  ) => ({
    status,
    outcome,
    attempts_delta: attemptsDelta,
    run_after: runAfter ?? null,
    completed: status === "succeeded" || status === "failed" || status === "cancelled",
  });
  switch (result.outcome) {
    case "succeeded":
      return row("succeeded", "succeeded", 0);
    case "skipped":
      return row("cancelled", "succeeded", 0);
    case "continued":
      // A checkpoint, not a try: due again at once, and the attempt is given back.
      return row("pending", "continued", -1, at(0));
    case "paused":
      return row("pending", "paused", -1, at(OUTBOX.pauseSeconds));
    default:
      return givesUp(transfer, result, item.retry)
        ? row("failed", "failed", 0)
        : row(
            "pending",
            "retry",
            0,
            at(backoffSeconds(transfer.attempts, result.retryAfterSeconds, item.retry ?? DEFAULT_RETRY)),
          );
  }
}

/** The finishes as the one JSON argument of the finishing statement (its text never changes). */
export function finishArguments(items: Finish[]): { finishes: string; followUps: string } {
  const now = new Date();
  const finishes = items.map((item) => {
    const { transfer, owner, result, startedAt } = item;
    const failure = "message" in result ? result : undefined;
    const vendor = failure && "vendorMessage" in failure ? failure : undefined;
    const succeeded = result.outcome === "succeeded" ? result : undefined;
    return {
      id: transfer.id,
      owner,
      ...rowFor(item, now),
      error_code: failure?.message.code ?? null,
      error_params: failure?.message.params ?? null,
      vendor_message: vendor?.vendorMessage ?? null,
      set_reference: !!succeeded,
      economic_reference: succeeded?.economicReference ?? null,
      payload_patch: succeeded?.payload ?? null,
      settings_version: succeeded?.settingsVersion ?? null,
      attempt: transfer.attempts,
      started_at: startedAt.toISOString(),
      http_status: vendor?.httpStatus ?? null,
      log_id: vendor?.logId ?? null,
    };
  });
  const followUps = items.flatMap(({ transfer, result }) =>
    result.outcome === "succeeded"
      ? (result.followUps ?? []).map((f) => ({
          transfer_id: transfer.id,
          kind: f.kind,
          source_id: f.sourceId,
          idempotency_key: f.idempotencyKey,
          payload: f.payload ?? {},
          settings_version: result.settingsVersion ?? transfer.settingsVersion,
        }))
      : [],
  );
  return { finishes: JSON.stringify(finishes), followUps: JSON.stringify(followUps) };
}

/**
 * The finishing part of a statement, as CTEs: `input` (the finishes), `finished` (the rows, changed only
 * while their worker holds the lease), their attempt records (not for an attempt that ends the transfer:
 * the row records that one), and their follow-ups — all or nothing. A transfer asked to run once more
 * while it ran (`rerun`: its source changed meanwhile) is due again instead of finished.
 */
export function finishingCtes(args: { finishes: string; followUps: string }): SQL {
  return sql`
    input as (
      select * from jsonb_to_recordset(${args.finishes}::jsonb) as x(
        id bigint, owner text, status text, attempts_delta int, run_after timestamptz, completed boolean,
        error_code text, error_params jsonb, vendor_message text, set_reference boolean,
        economic_reference text, payload_patch jsonb, settings_version int, attempt int,
        started_at timestamptz, outcome text, http_status int, log_id text)
    ),
    finished as (
      update transfers t set
        status = case when t.rerun and i.completed then 'pending' else i.status end,
        attempts = case when t.rerun and i.completed then 0 else greatest(t.attempts + i.attempts_delta, 0) end,
        attempts_total = greatest(t.attempts_total + i.attempts_delta, 0),
        run_after = case when t.rerun and i.completed then now() else coalesce(i.run_after, t.run_after) end,
        completed_at = case when i.completed and not t.rerun then now() else t.completed_at end,
        rerun = false, lease_owner = null, lease_until = null, updated_at = now(),
        error_code = i.error_code, error_params = i.error_params, vendor_message = i.vendor_message,
        economic_reference = case when i.set_reference then i.economic_reference else t.economic_reference end,
        payload = case when i.payload_patch is null then t.payload else t.payload || i.payload_patch end,
        settings_version = coalesce(i.settings_version, t.settings_version)
      from input i
      where t.id = i.id and t.status = 'running' and t.lease_owner = i.owner
      returning t.id, t.installation_id, t.status = 'pending' and t.run_after <= now() as due_again,
        t.status = 'pending' and i.completed as rerun
    ),
    recorded as (
      insert into transfer_attempts (transfer_id, attempt, started_at, finished_at, outcome, http_status,
                                     economic_log_id, error_code, error_params, vendor_message)
      select i.id, i.attempt, i.started_at, now(), i.outcome, i.http_status, i.log_id, i.error_code,
             i.error_params, i.vendor_message
      from input i join finished f on f.id = i.id
      -- A success (or a skip) is kept on the row itself, unless the row starts anew at once (rerun).
      where i.status not in ('succeeded', 'cancelled') or f.rerun
    ),
    followed as (
      insert into transfers (installation_id, kind, source_id, idempotency_key, payload, settings_version, run_after)
      select f.installation_id, u.kind, u.source_id, u.idempotency_key, u.payload, u.settings_version, now()
      from jsonb_to_recordset(${args.followUps}::jsonb) as u(
        transfer_id bigint, kind text, source_id text, idempotency_key text, payload jsonb, settings_version int)
      join finished f on f.id = u.transfer_id
      on conflict (installation_id, idempotency_key) do nothing
      returning id
    )`;
}

const rowsOf = <T>(result: unknown): T[] =>
  Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);

/**
 * Records the end of attempts in one statement. Returns, per item, whether its worker still held the
 * lease (a worker whose lease expired and was reclaimed changes nothing).
 */
export async function finish(items: Finish[], db?: Executor): Promise<boolean[]> {
  if (!items.length) return [];
  const q = db ?? (await getDb());
  const held = rowsOf<{ id: number | string }>(
    await q.execute(sql`with ${finishingCtes(finishArguments(items))} select id from finished`),
  );
  const ids = new Set(held.map((r) => Number(r.id)));
  return items.map((i) => ids.has(i.transfer.id));
}
