import { eq, lt } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import type { RackbeatTokenKind } from "@/db/vocabulary";
import { decryptToken, encryptToken, sha256 } from "@/lib/crypto";

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

/** The columns that hold each side, encrypted (written by install-state.ts). */
export const rackbeatColumns = (side: RackbeatSide | undefined) =>
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

export const economicColumns = (side: EconomicSide | undefined) =>
  side
    ? {
        economicGrantToken: encryptToken(side.grantToken),
        economicAgreementNumber: side.agreementNumber,
        economicCompanyName: side.companyName,
        economicCountry: side.country ?? null,
      }
    : {};

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

/** Finished and expired rows older than a day hold nothing anyone needs. */
export async function deleteOldPending(): Promise<void> {
  const db = await getDb();
  await db
    .delete(schema.pendingInstalls)
    .where(lt(schema.pendingInstalls.expiresAt, new Date(Date.now() - 24 * 3600 * 1000)));
}
