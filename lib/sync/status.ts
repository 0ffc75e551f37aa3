import { and, asc, eq } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { STARTUP_SYNC_ENTITIES, type StartupSyncEntity, type TransferStatus } from "@/db/vocabulary";

export type StartupSyncStatus = {
  /** Not chosen: no row. */
  state: "not_chosen" | TransferStatus;
  entities: {
    entity: StartupSyncEntity;
    total: number | null;
    done: number;
    created: number;
    kept: number;
    failed: number;
    finished: boolean;
  }[];
  errors: {
    entity: StartupSyncEntity;
    number: string;
    name: string | null;
    code: string;
    params: unknown;
    vendorMessage: string | null;
  }[];
  errorCount: number;
  /** The transfer's own problem (e.g. e-conomic unreachable), as a code. */
  problem?: { code: string; params: unknown };
};

/** Where the start-up synchronization stands, for the progress bars and the summary. */
export async function startupSyncStatus(
  installationId: string,
  errorLimit = 100,
): Promise<StartupSyncStatus> {
  const db = await getDb();
  const [transfer] = await db
    .select({
      status: schema.transfers.status,
      errorCode: schema.transfers.errorCode,
      errorParams: schema.transfers.errorParams,
    })
    .from(schema.transfers)
    .where(
      and(eq(schema.transfers.installationId, installationId), eq(schema.transfers.kind, "startup_sync")),
    );
  const rows = await db
    .select()
    .from(schema.startupSyncProgress)
    .where(eq(schema.startupSyncProgress.installationId, installationId));
  const errors = await db
    .select()
    .from(schema.startupSyncErrors)
    .where(eq(schema.startupSyncErrors.installationId, installationId))
    .orderBy(asc(schema.startupSyncErrors.entity), asc(schema.startupSyncErrors.number))
    .limit(errorLimit);
  const byEntity = new Map(rows.map((r) => [r.entity, r]));
  const entities = STARTUP_SYNC_ENTITIES.map((entity) => {
    const r = byEntity.get(entity);
    const done = r ? r.created + r.kept + r.failed : 0;
    return {
      entity,
      total: r?.total ?? null,
      done,
      created: r?.created ?? 0,
      kept: r?.kept ?? 0,
      failed: r?.failed ?? 0,
      finished: Boolean(r?.finishedAt),
    };
  });
  return {
    state: transfer?.status ?? "not_chosen",
    entities,
    errors: errors.map((e) => ({
      entity: e.entity,
      number: e.number,
      name: e.name,
      code: e.errorCode,
      params: e.errorParams,
      vendorMessage: e.vendorMessage,
    })),
    errorCount: entities.reduce((s, e) => s + e.failed, 0),
    ...(transfer?.errorCode && transfer.status !== "succeeded"
      ? { problem: { code: transfer.errorCode, params: transfer.errorParams } }
      : {}),
  };
}
