import { and, desc, eq, inArray, like, ne, sql } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { logger } from "@/lib/log";
import { withDefaults } from "@/lib/settings/schema";
import { INVENTORY_TIME_ZONE, localDate } from "@/lib/transfers/inventory/periods";
import { enqueue } from "@/lib/transfers/queue";
import { alertTransfer, digestSource, type AlertPayload } from "./transfer";

/** Digests go from this local hour on (a bookkeeper's morning), at most one per local day. */
export const DIGEST_FROM_HOUR = 7;

const hourFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: INVENTORY_TIME_ZONE,
  hour: "numeric",
  hourCycle: "h23",
});

/**
 * The hourly alert sweep: for each active installation with alerts on, a digest is queued when some
 * transfer has failed that the last digest did not list (nothing new, nothing sent), at most one per
 * Copenhagen day (its key is the day: a redelivered or repeated cron adds nothing). Reads only our
 * database: two queries, whatever the number of installations.
 */
export async function queueDigests(now = new Date()): Promise<{ queued: number }> {
  if (Number(hourFormat.format(now)) < DIGEST_FROM_HOUR) return { queued: 0 };
  const day = localDate(now);
  const db = await getDb();
  const t = schema.transfers;
  const failed = await db
    .select({ installationId: t.installationId, ids: sql<number[]>`array_agg(${t.id} order by ${t.id})` })
    .from(t)
    .innerJoin(schema.installations, eq(schema.installations.id, t.installationId))
    .where(
      and(
        eq(t.status, "failed"),
        ne(t.kind, alertTransfer.kind) /* an alert never lists alerts */,
        eq(schema.installations.status, "active"),
      ),
    )
    .groupBy(t.installationId);
  if (!failed.length) return { queued: 0 };
  const installationIds = failed.map((f) => f.installationId);
  const [settingsRows, lastDigests] = await Promise.all([
    db.select().from(schema.settings).where(inArray(schema.settings.installationId, installationIds)),
    db
      .selectDistinctOn([t.installationId], {
        installationId: t.installationId,
        sourceId: t.sourceId,
        payload: t.payload,
      })
      .from(t)
      .where(
        and(
          inArray(t.installationId, installationIds),
          eq(t.kind, alertTransfer.kind),
          like(t.sourceId, "digest-%"),
        ),
      )
      .orderBy(t.installationId, desc(t.createdAt)),
  ]);
  const enabled = new Set(
    settingsRows.filter((s) => withDefaults(s.values).alerts.enabled).map((s) => s.installationId),
  );
  const last = new Map(lastDigests.map((d) => [d.installationId, d]));
  let queued = 0;
  for (const { installationId, ids } of failed) {
    if (!enabled.has(installationId)) continue;
    const previous = last.get(installationId);
    if (previous?.sourceId === digestSource(day)) continue;
    const told = new Set(
      (previous?.payload as Extract<AlertPayload, { type: "digest" }> | undefined)?.failedIds ?? [],
    );
    const failedIds = ids.map(Number);
    const newCount = failedIds.filter((id) => !told.has(id)).length;
    if (newCount === 0) continue;
    const created = await enqueue(db, alertTransfer, {
      installationId,
      sourceId: digestSource(day),
      payload: { type: "digest", day, failedIds, newCount },
    });
    if (created) queued++;
  }
  if (queued) logger().info({ event: "alerts.digests_queued", queued, day });
  return { queued };
}
