import { and, eq, isNull, lt } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import type { PendingInstallOrigin } from "@/db/vocabulary";
import { encryptToken, randomToken, sha256 } from "@/lib/crypto";

export const PENDING_INSTALL_TTL_MS = 30 * 60 * 1000;
export const STATE_COOKIE = "rbe_install";

export type PendingInstall = typeof schema.pendingInstalls.$inferSelect;
type Origin = PendingInstallOrigin;

/** Records an install in progress and returns the state value for the browser's cookie (stored hashed). */
export async function createPendingInstall(values: {
  origin: Origin;
  rackbeatRequestToken?: string;
  economicGrantToken?: string;
  economicAgreementNumber?: number;
  economicCompanyName?: string;
  installationId?: string;
}): Promise<{ state: string; pending: PendingInstall }> {
  const db = await getDb();
  const state = randomToken();
  const [pending] = await db
    .insert(schema.pendingInstalls)
    .values({
      stateHash: sha256(state),
      origin: values.origin,
      rackbeatRequestToken: values.rackbeatRequestToken ? encryptToken(values.rackbeatRequestToken) : null,
      economicGrantToken: values.economicGrantToken ? encryptToken(values.economicGrantToken) : null,
      economicAgreementNumber: values.economicAgreementNumber,
      economicCompanyName: values.economicCompanyName,
      installationId: values.installationId,
      expiresAt: new Date(Date.now() + PENDING_INSTALL_TTL_MS),
    })
    .returning();
  // Old rows are useless after expiry; sweeping here keeps the table small without a cron.
  await db
    .delete(schema.pendingInstalls)
    .where(lt(schema.pendingInstalls.expiresAt, new Date(Date.now() - 24 * 3600 * 1000)));
  return { state, pending };
}

export async function findPendingByState(state: string | undefined): Promise<PendingInstall | undefined> {
  if (!state) return undefined;
  const db = await getDb();
  const [row] = await db
    .select()
    .from(schema.pendingInstalls)
    .where(eq(schema.pendingInstalls.stateHash, sha256(state)));
  return row;
}

/** Marks a pending install used. Returns false when another request consumed it first (a replay). */
export async function consumePending(id: string): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .update(schema.pendingInstalls)
    .set({ consumedAt: new Date() })
    .where(and(eq(schema.pendingInstalls.id, id), isNull(schema.pendingInstalls.consumedAt)))
    .returning({ id: schema.pendingInstalls.id });
  return rows.length === 1;
}

export const isExpired = (p: PendingInstall) => p.expiresAt.getTime() < Date.now();
