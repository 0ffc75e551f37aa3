import { getTableColumns, sql, type SQL } from "drizzle-orm";
import { getDb, schema, type Executor } from "@/db/client";
import { oneOf, WHILE_PAUSED_KINDS } from "@/db/vocabulary";
import { finishArguments, finishingCtes, type Finish } from "./finish";
import { OUTBOX } from "./policy";
import { executePrepared } from "./prepared";
import type { Transfer } from "./types";

export type ClaimInput = {
  owner: string;
  limit: number;
  /** Only this installation's (or these installations') transfers. */
  installationId?: string | string[];
  /** Only these kinds (the ones the caller can carry out). */
  kinds: readonly string[];
  /** Not these rows (a long transfer this run already gave its time to). */
  excludeIds?: readonly number[];
};

const json = (v: unknown) => JSON.stringify(v);

/**
 * The rows a claim takes, as a subquery: pending ones whose time has come and running ones whose lease
 * expired (their worker died), of active installations only, fair across installations and under each
 * installation's concurrency cap. Each installation offers at most its free slots, its oldest rows first
 * (an index walk, so a backlog of thousands costs no more than one row), and the batch takes every
 * installation's first row before anyone's second. Rows are locked as each installation's walk chooses
 * them (`FOR UPDATE SKIP LOCKED` re-checks each row as it locks it), so a concurrent worker walks past
 * them to the installation's next rows instead of colliding on the same first ones (ranking first and
 * locking after was measured: workers then meet on every installation's first row and a third of the
 * claims come back empty). Rows being finished by the same statement (`finishing`) no longer count
 * against the cap. Every filter is a JSON argument, so the statement's text, and its plan, are the same
 * every time.
 */
function picked(input: ClaimInput, finishing: boolean): SQL {
  // Rows this statement finishes: not candidates, and (where their worker still holds them) not running.
  const finished = finishing ? sql`(select id from input)` : sql`(select null::bigint where false)`;
  const stillHeld = finishing
    ? sql`and not exists (select 1 from input f where f.id = r.id and f.owner = r.lease_owner)`
    : sql``;
  const installations = input.installationId === undefined ? null : json([input.installationId].flat());
  return sql`
    select id from (
      select c.id, row_number() over (partition by c.installation_id order by c.run_after, c.id) as rank
      from installations i
      cross join lateral (
        select d.id, d.installation_id, d.run_after
        from transfers d
        where d.installation_id = i.id
          and ((d.status = 'pending' and d.run_after <= now()) or (d.status = 'running' and d.lease_until < now()))
          and d.kind in (select jsonb_array_elements_text(${json(input.kinds)}::jsonb))
          and d.id not in (select (jsonb_array_elements_text(${json(input.excludeIds ?? [])}::jsonb))::bigint)
          and d.id not in ${finished}
        order by d.run_after, d.id
        limit greatest(${OUTBOX.perInstallationConcurrency}::int - (
          select count(*) from transfers r
          where r.installation_id = i.id and r.status = 'running' and r.lease_until >= now()
            ${stillHeld}), 0)
        for update of d skip locked
      ) c
      where i.status = 'active'
        and (${installations}::jsonb is null or i.id::text in (select jsonb_array_elements_text(${installations}::jsonb)))
    ) ranked
    order by rank, id
    limit ${input.limit}::int`;
}

/** The claim itself: the picked rows become running under this worker's lease, their attempt counted. */
const claiming = (input: ClaimInput, finishing: boolean) => sql`
  update transfers c set status = 'running', lease_owner = ${input.owner},
    lease_until = now() + make_interval(secs => ${OUTBOX.leaseSeconds}),
    attempts = c.attempts + 1, attempts_total = c.attempts_total + 1, started_at = now(), updated_at = now()
  where c.id in (${picked(input, finishing)})
  returning c.*`;

/** Claims up to `limit` due transfers in one statement; attempts are counted here. */
export async function claim(input: ClaimInput, db?: Executor): Promise<Transfer[]> {
  const q = db ?? (await getDb());
  return (await executePrepared<Record<string, unknown>>(q, claiming(input, false))).map(transferOf);
}

/**
 * Rows of paused or uninstalled installations whose kind runs without either service (an alert that says
 * so): the main claim takes active installations only. Few rows, found through their own partial index
 * (`transfers_while_paused_due_idx`, whose kinds are `WHILE_PAUSED_KINDS`), never through a paused
 * installation's backlog; the kinds are written into the statement so that the index applies.
 */
export async function claimWhilePaused(
  input: Pick<ClaimInput, "owner" | "limit" | "installationId"> & { kinds: readonly string[] },
  db?: Executor,
): Promise<Transfer[]> {
  const kinds = WHILE_PAUSED_KINDS.filter((k) => input.kinds.includes(k));
  if (!kinds.length) return [];
  const q = db ?? (await getDb());
  const installations = input.installationId === undefined ? null : json([input.installationId].flat());
  return (
    await executePrepared<Record<string, unknown>>(
      q,
      sql`
      update transfers c set status = 'running', lease_owner = ${input.owner},
        lease_until = now() + make_interval(secs => ${OUTBOX.leaseSeconds}),
        attempts = c.attempts + 1, attempts_total = c.attempts_total + 1, started_at = now(), updated_at = now()
      where c.id in (
        select d.id from transfers d join installations i on i.id = d.installation_id
        where d.kind in (${sql.raw(oneOf(kinds))})
          and d.status in ('pending', 'running')
          and ((d.status = 'pending' and d.run_after <= now()) or (d.status = 'running' and d.lease_until < now()))
          and i.status <> 'active'
          and (${installations}::jsonb is null or i.id::text in (select jsonb_array_elements_text(${installations}::jsonb)))
        order by d.run_after, d.id
        limit ${input.limit}::int
        for update of d skip locked)
      returning c.*`,
    )
  ).map(transferOf);
}

/** Rows of `returning c.*`, mapped to Transfers by each column's own driver mapping (drizzle's). */
const COLUMNS = Object.entries(getTableColumns(schema.transfers));
function transferOf(row: Record<string, unknown>): Transfer {
  const out: Record<string, unknown> = {};
  for (const [property, column] of COLUMNS) {
    const value = row[column.name];
    out[property] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as Transfer;
}

/**
 * Records finished attempts and claims the next batch in one statement, one round trip: what a worker
 * does between two batches. Returns the new batch, per finished item whether its lease was held, and how
 * many rows the statement itself made due (follow-ups, continued or rerun transfers): its claim could not
 * see them yet, so an empty batch with some due again means "claim once more", not "done".
 */
export async function finishAndClaim(
  items: Finish[],
  input: ClaimInput,
  db?: Executor,
): Promise<{ claimed: Transfer[]; held: boolean[]; dueAgain: number }> {
  const q = db ?? (await getDb());
  if (!items.length) return { claimed: await claim(input, q), held: [], dueAgain: 0 };
  // One row per claimed transfer (or one empty row when none was claimed), each carrying the finish's
  // outcome: which leases were held, and how many rows the statement itself made due.
  const rows = await executePrepared<Record<string, unknown> & { held_ids: unknown; due_again: unknown }>(
    q,
    sql`
    with ${finishingCtes(finishArguments(items))},
    claimed as (${claiming(input, true)})
    select c.*,
           coalesce((select jsonb_agg(id) from finished), '[]'::jsonb) as held_ids,
           (select count(*) from finished where due_again) + (select count(*) from followed) as due_again
    from (select 1) as one left join claimed c on true`,
  );
  const parse = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;
  const ids = new Set(parse<(number | string)[]>(rows[0].held_ids).map(Number));
  return {
    claimed: rows.filter((r) => r.id !== null && r.id !== undefined).map(transferOf),
    held: items.map((i) => ids.has(i.transfer.id)),
    dueAgain: Number(rows[0].due_again),
  };
}
