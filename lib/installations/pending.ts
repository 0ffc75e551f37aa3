import { and, count, eq, gt, inArray, isNull, lt } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import type { PendingInstallOrigin, RackbeatTokenKind } from "@/db/vocabulary";
import { decryptToken, encryptToken, randomToken, sha256 } from "@/lib/crypto";
import { MAX_LIVE_PENDING_PER_CLIENT } from "@/lib/limits";

export const PENDING_INSTALL_TTL_MS = 30 * 60 * 1000;
export const STATE_COOKIE = "rbe_install";

export type PendingInstall = typeof schema.pendingInstalls.$inferSelect;

/** The Rackbeat side of an install, once its request was accepted (or an API key checked). */
export type RackbeatSide = {
  kind: RackbeatTokenKind;
  accessToken: string;
  account: { id: string; companyName: string };
  /** Only for an accepted request from the Apps menu. */
  requestToken?: string;
  appSlug?: string;
  redirectTo?: string;
};

/** The e-conomic side, once its grant was verified with GET /self. */
export type EconomicSide = {
  grantToken: string;
  agreementNumber: number;
  companyName: string;
  /** `/self` → `company.country`: decides where a customer's company number goes (_customers.md). */
  country?: string;
};

export class TooManyPendingInstalls extends Error {}

/**
 * Records an install in progress and returns the state value for the browser's cookie (stored hashed).
 * One address may hold a few live ones at a time; expired ones are removed here, as they pass.
 */
export async function createPendingInstall(values: {
  origin: PendingInstallOrigin;
  clientKey: string;
  installationId?: string;
  rackbeat?: RackbeatSide;
  economic?: EconomicSide;
}): Promise<{ state: string; pending: PendingInstall }> {
  const db = await getDb();
  const [live] = await db
    .select({ n: count() })
    .from(schema.pendingInstalls)
    .where(
      and(
        eq(schema.pendingInstalls.clientKey, values.clientKey),
        isNull(schema.pendingInstalls.consumedAt),
        gt(schema.pendingInstalls.expiresAt, new Date()),
      ),
    );
  if (live.n >= MAX_LIVE_PENDING_PER_CLIENT) throw new TooManyPendingInstalls();
  const state = randomToken();
  const [pending] = await db
    .insert(schema.pendingInstalls)
    .values({
      stateHash: sha256(state),
      origin: values.origin,
      clientKey: values.clientKey,
      installationId: values.installationId,
      ...rackbeatColumns(values.rackbeat),
      ...economicColumns(values.economic),
      expiresAt: new Date(Date.now() + PENDING_INSTALL_TTL_MS),
    })
    .returning();
  return { state, pending };
}

const rackbeatColumns = (side: RackbeatSide | undefined) =>
  side
    ? {
        rackbeatTokenKind: side.kind,
        rackbeatAccessToken: encryptToken(side.accessToken),
        rackbeatRequestToken: side.requestToken ? encryptToken(side.requestToken) : null,
        rackbeatAppSlug: side.appSlug ?? null,
        rackbeatRedirectTo: side.redirectTo ?? null,
        rackbeatAccountId: side.account.id,
        rackbeatCompanyName: side.account.companyName,
      }
    : {};

const economicColumns = (side: EconomicSide | undefined) =>
  side
    ? {
        economicGrantToken: encryptToken(side.grantToken),
        economicAgreementNumber: side.agreementNumber,
        economicCompanyName: side.companyName,
        economicCountry: side.country ?? null,
      }
    : {};

/** Adds the side that arrived second to a pending install that is still live. */
export async function attachSide(
  id: string,
  side: { rackbeat: RackbeatSide } | { economic: EconomicSide },
): Promise<PendingInstall | undefined> {
  const db = await getDb();
  const [row] = await db
    .update(schema.pendingInstalls)
    .set("rackbeat" in side ? rackbeatColumns(side.rackbeat) : economicColumns(side.economic))
    .where(and(eq(schema.pendingInstalls.id, id), isNull(schema.pendingInstalls.consumedAt)))
    .returning();
  return row;
}

export const rackbeatSideOf = (p: PendingInstall): RackbeatSide | undefined =>
  p.rackbeatAccessToken && p.rackbeatAccountId && p.rackbeatTokenKind
    ? {
        kind: p.rackbeatTokenKind,
        accessToken: decryptToken(p.rackbeatAccessToken),
        account: { id: p.rackbeatAccountId, companyName: p.rackbeatCompanyName ?? "" },
        requestToken: p.rackbeatRequestToken ? decryptToken(p.rackbeatRequestToken) : undefined,
        appSlug: p.rackbeatAppSlug ?? undefined,
        redirectTo: p.rackbeatRedirectTo ?? undefined,
      }
    : undefined;

export const economicSideOf = (p: PendingInstall): EconomicSide | undefined =>
  p.economicGrantToken && p.economicAgreementNumber
    ? {
        grantToken: decryptToken(p.economicGrantToken),
        agreementNumber: p.economicAgreementNumber,
        companyName: p.economicCompanyName ?? "",
        country: p.economicCountry ?? undefined,
      }
    : undefined;

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
export const isLive = (p: PendingInstall | undefined): p is PendingInstall =>
  Boolean(p && !p.consumedAt && !isExpired(p));

/** Pending installs that expired without being finished or given up: claimed here, one sweep at a time. */
export async function claimAbandoned(limit = 20): Promise<PendingInstall[]> {
  const db = await getDb();
  const p = schema.pendingInstalls;
  const due = db
    .select({ id: p.id })
    .from(p)
    .where(and(isNull(p.consumedAt), lt(p.expiresAt, new Date())))
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(p)
    .set({ consumedAt: new Date() })
    .where(and(inArray(p.id, due), isNull(p.consumedAt)))
    .returning();
}

/** Finished and expired rows older than a day hold nothing anyone needs. */
export async function deleteOldPending(): Promise<void> {
  const db = await getDb();
  await db
    .delete(schema.pendingInstalls)
    .where(lt(schema.pendingInstalls.expiresAt, new Date(Date.now() - 24 * 3600 * 1000)));
}
