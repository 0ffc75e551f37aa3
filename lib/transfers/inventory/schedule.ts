import { asc, eq } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { errorFields, logger } from "@/lib/log";
import { loadSettings } from "@/lib/settings/repository";
import { withDefaults } from "@/lib/settings/schema";
import { inventoryValue } from "@/lib/transfers/kinds/inventory-value";
import { enqueue } from "@/lib/transfers/queue";
import { closesAt, lastClosedPeriod } from "./periods";

/** Since when the inventory value posting has been switched on without a break (its latest switch-on). */
export async function inventoryEnabledSince(installationId: string): Promise<Date | undefined> {
  const db = await getDb();
  const versions = await db
    .select({ values: schema.settingsVersions.values, createdAt: schema.settingsVersions.createdAt })
    .from(schema.settingsVersions)
    .where(eq(schema.settingsVersions.installationId, installationId))
    .orderBy(asc(schema.settingsVersions.version));
  let since: Date | undefined;
  for (const v of versions) {
    const on = withDefaults(v.values).inventory.enabled;
    if (!on) since = undefined;
    else since ??= v.createdAt;
  }
  return since;
}

/**
 * Queues one inventory value posting per installation for the newest closed period, once (the key
 * names the period). Only a period that closed after the posting was switched on (and the integration
 * activated) is queued: nothing is backdated, and a period missed while the app could not run is not
 * queued later; the next posting carries its change.
 */
export async function enqueueInventoryPostings(now = new Date()): Promise<{ enqueued: number }> {
  const db = await getDb();
  const installations = await db
    .select({ id: schema.installations.id })
    .from(schema.installations)
    .where(eq(schema.installations.status, "active"));
  let enqueued = 0;
  for (const { id } of installations) {
    try {
      const settings = await loadSettings(id);
      if (!settings.activatedAt || !settings.values.inventory.enabled) continue;
      const frequency = settings.values.inventory.frequency;
      const period = lastClosedPeriod(now, frequency);
      const since = await inventoryEnabledSince(id);
      const start = since && since > settings.activatedAt ? since : settings.activatedAt;
      if (closesAt(period) <= start) continue;
      if (
        await enqueue(db, inventoryValue, {
          installationId: id,
          sourceId: period,
          payload: { frequency },
          settingsVersion: settings.version,
        })
      )
        enqueued++;
    } catch (error) {
      logger().warn({ event: "inventory.enqueue_failed", installationId: id, ...errorFields(error) });
    }
  }
  return { enqueued };
}
