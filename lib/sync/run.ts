import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, schema } from "@/db/client";
import { STARTUP_SYNC_ENTITIES, type StartupSyncEntity } from "@/db/vocabulary";
import { HttpError } from "@/lib/http";
import { logger } from "@/lib/log";
import { message } from "@/lib/messages";
import { skip } from "@/lib/transfers/failure";
import type { Continued, Succeeded, TransferContext } from "@/lib/transfers/kinds/context";
import { defineTransfer } from "@/lib/transfers/kinds/define";
import { ENTITIES, UnmappableRecord, type SyncReferences } from "./entities";
import { syncReferences } from "./references";

/** e-conomic page size: one checkpoint per page, plus one per chunk within it. */
export const SYNC_PAGE_SIZE = 500;
/** Records written to Rackbeat at once; progress is saved after each chunk. */
export const SYNC_CHUNK = 8;
/** Stop this long before the attempt's deadline, so the last chunk and its checkpoint fit. */
const STOP_MARGIN_MS = 3_000;

type Outcome = "created" | "kept" | "failed";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The one-time start-up synchronization, e-conomic → Rackbeat, resumable: it works entity by entity,
 * page by page, chunk by chunk, saving its place after each chunk, and stops in time to save it. A run
 * that crashed or ran out of time goes on from the last checkpoint; a record already in Rackbeat (matched
 * by number) is left as it is, so nothing is doubled. Writes suppress Rackbeat's webhooks, so nothing
 * echoes back as a transfer. Per-record refusals are kept and listed.
 */
export async function transferStartupSync(ctx: TransferContext): Promise<Succeeded | Continued> {
  const { installation, economic, rackbeat } = ctx;
  if (!ctx.settings.startupSync) throw skip(message("transfer.part_not_active", { part: "startup_sync" }));
  const db = await getDb();
  await db
    .insert(schema.startupSyncProgress)
    .values(STARTUP_SYNC_ENTITIES.map((entity) => ({ installationId: installation.id, entity })))
    .onConflictDoNothing();
  const progressOf = new Map(
    (
      await db
        .select()
        .from(schema.startupSyncProgress)
        .where(eq(schema.startupSyncProgress.installationId, installation.id))
    ).map((r) => [r.entity, r]),
  );
  const startedAt = ctx.transfer.createdAt.toISOString();
  let refs: SyncReferences | undefined;
  // Every attempt brings at least one chunk, however short its time: a run always moves forward.
  let movedOn = false;
  const timeIsUp = () => movedOn && Date.now() > ctx.deadline - STOP_MARGIN_MS;

  for (const entity of STARTUP_SYNC_ENTITIES) {
    const key = and(
      eq(schema.startupSyncProgress.installationId, installation.id),
      eq(schema.startupSyncProgress.entity, entity),
    );
    const progress = progressOf.get(entity)!;
    if (progress.finishedAt) continue;
    const def = ENTITIES[entity];
    // Read once the groups and layouts are there (this synchronization may just have made them).
    if ((entity === "products" || entity === "customers" || entity === "suppliers") && !refs)
      refs = await syncReferences(economic, rackbeat, ctx.settings, (call) => patiently(ctx.deadline, call));
    // Who already has which number in Rackbeat, and since when (created after the sync began = by us).
    const existing = new Map(
      (
        await patiently(ctx.deadline, () =>
          rackbeat.listAll<{ number: string | number; created_at?: string }>(
            def.rackbeatPath,
            def.rackbeatKey,
          ),
        )
      ).map((r) => [String(r.number), r.created_at]),
    );
    let { page, indexInPage } = progress;
    for (;;) {
      if (timeIsUp()) return { outcome: "continued" };
      const { data } = await economic.rest<{
        collection: Record<string, unknown>[];
        pagination?: { results?: number; nextPage?: string };
      }>(`${def.economicPath}?skippages=${page}&pagesize=${SYNC_PAGE_SIZE}`);
      const total = data.pagination?.results ?? null;
      if (total !== progress.total) {
        await db.update(schema.startupSyncProgress).set({ total, updatedAt: new Date() }).where(key);
        progress.total = total;
      }
      while (indexInPage < data.collection.length) {
        if (timeIsUp()) return { outcome: "continued" };
        const chunk = data.collection.slice(indexInPage, indexInPage + SYNC_CHUNK);
        const outcomes = await Promise.all(
          chunk.map((record) => bring(ctx, entity, record, existing, startedAt, refs!)),
        );
        await rememberInEconomic(installation.id, entity, chunk.map(def.number));
        indexInPage += chunk.length;
        const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
        await db
          .update(schema.startupSyncProgress)
          .set({
            indexInPage,
            created: sql`${schema.startupSyncProgress.created} + ${count("created")}`,
            kept: sql`${schema.startupSyncProgress.kept} + ${count("kept")}`,
            failed: sql`${schema.startupSyncProgress.failed} + ${count("failed")}`,
            updatedAt: new Date(),
          })
          .where(key);
        movedOn = true;
      }
      if (!data.pagination?.nextPage || data.collection.length === 0) {
        await db
          .update(schema.startupSyncProgress)
          .set({ finishedAt: new Date(), updatedAt: new Date() })
          .where(key);
        break;
      }
      page++;
      indexInPage = 0;
      await db
        .update(schema.startupSyncProgress)
        .set({ page, indexInPage, updatedAt: new Date() })
        .where(key);
    }
  }
  const rows = await db
    .select()
    .from(schema.startupSyncProgress)
    .where(eq(schema.startupSyncProgress.installationId, installation.id));
  return {
    outcome: "succeeded",
    settingsVersion: ctx.settingsVersion,
    payload: {
      summary: Object.fromEntries(
        rows.map((r) => [r.entity, { created: r.created, kept: r.kept, failed: r.failed }]),
      ),
    },
  };
}

const RECORD_KIND = { products: "product", customers: "customer", suppliers: "supplier" } as const;

/**
 * e-conomic has these records (we just read them): the first transfer of one goes straight to read and
 * update (record-sync.ts), instead of a create that e-conomic would refuse. The empty hash matches nothing
 * we send, so the first change is always written.
 */
async function rememberInEconomic(installationId: string, entity: StartupSyncEntity, numbers: string[]) {
  if (!(entity in RECORD_KIND) || !numbers.length) return;
  const kind = RECORD_KIND[entity as keyof typeof RECORD_KIND];
  const db = await getDb();
  await db
    .insert(schema.economicRecords)
    .values(numbers.map((number) => ({ installationId, kind, number, hash: "" })))
    .onConflictDoNothing();
}

/**
 * Rackbeat throttles (429 with Retry-After): the sync waits as told and goes on, within its time, instead
 * of ending the attempt and backing off for half a minute.
 */
async function patiently<T>(deadline: number, call: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 429) || Date.now() >= deadline - STOP_MARGIN_MS)
        throw error;
      await sleep(Math.max(250, (error.retryAfterSeconds ?? 1) * 1000));
    }
  }
}

/** One record into Rackbeat, unless it is there already. 429s wait as told; 5xx and network errors end the attempt. */
async function bring(
  ctx: TransferContext,
  entity: StartupSyncEntity,
  record: Record<string, unknown>,
  existing: Map<string, string | undefined>,
  startedAt: string,
  refs: SyncReferences,
): Promise<Outcome> {
  const def = ENTITIES[entity];
  const number = def.number(record);
  if (existing.has(number)) {
    const createdAt = existing.get(number);
    return createdAt && createdAt >= startedAt ? "created" : "kept";
  }
  let body: Record<string, unknown>;
  try {
    body = { ...def.toRackbeat(record, refs), suppress_webhooks: true };
  } catch (error) {
    if (!(error instanceof UnmappableRecord)) throw error;
    await recordError(ctx, entity, number, def.name(record), "startup_sync.unmappable", error.params);
    return "failed";
  }
  try {
    await patiently(ctx.deadline, () =>
      ctx.rackbeat.request(`${def.rackbeatPath}?suppress_webhooks=true`, { method: "POST", body }),
    );
    existing.set(number, new Date().toISOString());
    return "created";
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    if (error.status === 429 || error.status >= 500 || error.status === 401 || error.status === 403)
      throw error;
    // Someone (or an earlier attempt whose answer was lost) created it meanwhile: Rackbeat says the number is taken.
    if (/already been taken/.test(JSON.stringify(error.body ?? ""))) return "kept";
    const refused = error.body as { message?: string; errors?: Record<string, string[]> } | undefined;
    const words = [refused?.message, ...Object.values(refused?.errors ?? {}).flat()]
      .filter(Boolean)
      .join(" ");
    await recordError(ctx, entity, number, def.name(record), "startup_sync.rackbeat_refused", {}, words);
    logger().info({
      event: "startup_sync.record_refused",
      installationId: ctx.installation.id,
      entity,
      number,
    });
    return "failed";
  }
}

async function recordError(
  ctx: TransferContext,
  entity: StartupSyncEntity,
  number: string,
  name: string,
  code: "startup_sync.unmappable" | "startup_sync.rackbeat_refused",
  params: Record<string, string>,
  vendorMessage?: string,
) {
  const db = await getDb();
  await db
    .insert(schema.startupSyncErrors)
    .values({
      installationId: ctx.installation.id,
      entity,
      number,
      name: name.slice(0, 300),
      errorCode: code,
      errorParams: params,
      vendorMessage: vendorMessage?.slice(0, 2000) ?? null,
    })
    .onConflictDoNothing();
}

/** Once per installation (a unique index holds it), before the settings are activated. */
export const startupSync = defineTransfer({
  kind: "startup_sync",
  key: () => "startup_sync",
  payload: z.looseObject({}),
  runsBeforeActivation: true,
  run: transferStartupSync,
});
