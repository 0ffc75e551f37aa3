import { lt, sql } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { sha256 } from "@/lib/crypto";

/**
 * Limits on work anyone can trigger without an account: each install start costs a Rackbeat call and a
 * stored row, each callback an e-conomic call, each pasted API key a Rackbeat call. Counted per client
 * address in fixed windows, in Postgres, so that every serverless instance sees the same count. The same
 * counters limit what one installation's clicks may cost its agreement, keyed by the installation.
 */
export const LIMITS = {
  /** GET /install/rackbeat: each accepts a Rackbeat request. */
  installStart: { max: 20, windowSeconds: 60 },
  /** GET /install/economic: each stores a pending install. */
  grantStart: { max: 20, windowSeconds: 60 },
  /** GET /install/economic/callback: each costs one e-conomic call (GET /self). */
  callback: { max: 10, windowSeconds: 60 },
  /** The API-key form: each costs a Rackbeat call and would otherwise tell whether a key is valid. */
  apiKey: { max: 5, windowSeconds: 600 },
  /** Install confirmations (POST): cheap, but each may call both services. */
  confirm: { max: 20, windowSeconds: 60 },
  // Per installation: what a signed-in tenant's clicks may cost its agreement (counted by installation id).
  /** Settings saves: each checks the choices against both services (cached lists, lib/settings/choices.ts). */
  settingsSave: { max: 20, windowSeconds: 60 },
  /** Manual transfers: each reads the invoice from Rackbeat. */
  manualTransfer: { max: 20, windowSeconds: 60 },
  /** The settings page's "Refresh lists": each reads every list from both services anew. */
  choicesRefresh: { max: 10, windowSeconds: 60 },
  /** "Replace the link now": each registers a new settings URL with Rackbeat. */
  launchLinkReplace: { max: 5, windowSeconds: 60 },
  /** Retry all: each may queue hundreds of transfers, each a few e-conomic calls. */
  retryAll: { max: 5, windowSeconds: 60 },
  /** The books-match report (page or CSV): each reads a period from both services (a few dozen calls). */
  booksMatch: { max: 20, windowSeconds: 600 },
} as const;
export type LimitName = keyof typeof LIMITS;

/** Live (unexpired, unconsumed) pending installs one address may hold at a time. */
export const MAX_LIVE_PENDING_PER_CLIENT = 5;

/** A client address as a key: hashed, so that the tables hold no addresses. */
export const clientKeyOf = (address: string | null | undefined) => sha256(`client:${address || "unknown"}`);

/**
 * Counts one unit of `name` for `clientKey` and says whether it is within the limit. One statement:
 * concurrent requests each get their own count.
 */
export async function takeRateLimit(
  name: LimitName,
  clientKey: string,
): Promise<{ ok: boolean; retryAfterSeconds: number }> {
  const { max, windowSeconds } = LIMITS[name];
  const now = Date.now();
  const windowStart = new Date(Math.floor(now / (windowSeconds * 1000)) * windowSeconds * 1000);
  const db = await getDb();
  const [row] = await db
    .insert(schema.rateLimits)
    .values({ key: `${name}:${clientKey}`, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: [schema.rateLimits.key, schema.rateLimits.windowStart],
      set: { count: sql`${schema.rateLimits.count} + 1` },
    })
    .returning({ count: schema.rateLimits.count });
  // Old windows are worthless; removing a few on each call keeps the table small without a cron.
  if (row.count === 1)
    await db
      .delete(schema.rateLimits)
      .where(lt(schema.rateLimits.windowStart, new Date(now - 24 * 3600 * 1000)));
  const retryAfterSeconds = Math.max(
    1,
    Math.ceil((windowStart.getTime() + windowSeconds * 1000 - now) / 1000),
  );
  return { ok: row.count <= max, retryAfterSeconds };
}
