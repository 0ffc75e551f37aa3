import { eq } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { withDefaults, type SettingsValues } from "./schema";

export type StoredSettings = {
  values: SettingsValues;
  version: number;
  activatedAt: Date | null;
  startupSyncChosenAt: Date | null;
  updatedAt: Date;
};

export async function loadSettings(installationId: string): Promise<StoredSettings> {
  const db = await getDb();
  const [row] = await db
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
