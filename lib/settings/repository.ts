import { and, eq, sql } from "drizzle-orm";
import { getDb, schema, type Executor } from "@/db/client";
import { withDefaults, type SettingsValues } from "./schema";

export type StoredSettings = {
  values: SettingsValues;
  version: number;
  activatedAt: Date | null;
  startupSyncChosenAt: Date | null;
  updatedAt: Date;
};

export async function loadSettings(installationId: string, db?: Executor): Promise<StoredSettings> {
  const q = db ?? (await getDb());
  const [row] = await q
    .select()
    .from(schema.settings)
    .where(eq(schema.settings.installationId, installationId));
  if (!row)
    return {
      values: withDefaults({}),
      version: 0,
      activatedAt: null,
      startupSyncChosenAt: null,
      updatedAt: new Date(0),
    };
  return {
    values: withDefaults(row.values),
    version: row.version,
    activatedAt: row.activatedAt,
    startupSyncChosenAt: row.startupSyncChosenAt,
    updatedAt: row.updatedAt,
  };
}

/** The settings exactly as they were saved in `version`: what a transfer that recorded it used. */
export async function settingsAtVersion(
  installationId: string,
  version: number,
  db?: Executor,
): Promise<SettingsValues | undefined> {
  const q = db ?? (await getDb());
  const [row] = await q
    .select({ values: schema.settingsVersions.values })
    .from(schema.settingsVersions)
    .where(
      and(
        eq(schema.settingsVersions.installationId, installationId),
        eq(schema.settingsVersions.version, version),
      ),
    );
  return row ? withDefaults(row.values) : undefined;
}

/**
 * Stores settings as a new version, in the caller's transaction: the current row moves to `values` and the
 * snapshot is kept in `settings_versions`. `expectedVersion` is an optimistic lock: when another save won
 * the race, nothing is written and undefined is returned.
 */
export async function storeSettingsVersion(
  tx: Executor,
  input: {
    installationId: string;
    values: SettingsValues;
    expectedVersion: number;
    actor: string;
    activate?: boolean;
    chooseStartupSync?: boolean;
  },
): Promise<number | undefined> {
  const now = new Date();
  const [row] = await tx
    .insert(schema.settings)
    .values({
      installationId: input.installationId,
      values: input.values,
      version: 1,
      activatedAt: input.activate ? now : null,
      startupSyncChosenAt: input.chooseStartupSync ? now : null,
    })
    .onConflictDoUpdate({
      target: schema.settings.installationId,
      set: {
        values: input.values,
        version: sql`${schema.settings.version} + 1`,
        updatedAt: now,
        ...(input.activate ? { activatedAt: now } : {}),
        ...(input.chooseStartupSync ? { startupSyncChosenAt: now } : {}),
      },
      setWhere: sql`${schema.settings.version} = ${input.expectedVersion}`,
    })
    .returning({ version: schema.settings.version });
  if (!row) return undefined;
  await tx.insert(schema.settingsVersions).values({
    installationId: input.installationId,
    version: row.version,
    values: input.values,
    actor: input.actor,
  });
  return row.version;
}

/** A new installation's settings: the defaults, stored as version 1 (kept as they are on a reinstall). */
export async function ensureDefaultSettings(
  tx: Executor,
  installationId: string,
  actor: string,
): Promise<void> {
  const values = withDefaults({});
  const created = await tx
    .insert(schema.settings)
    .values({ installationId, values, version: 1 })
    .onConflictDoNothing()
    .returning({ version: schema.settings.version });
  if (created.length)
    await tx.insert(schema.settingsVersions).values({ installationId, version: 1, values, actor });
}
