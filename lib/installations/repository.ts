import { and, eq, ne } from "drizzle-orm";
import { getDb, schema, type Executor } from "@/db/client";
import { decryptToken } from "@/lib/crypto";

export type Installation = typeof schema.installations.$inferSelect;

/**
 * Reads of installations. Each takes the caller's transaction when it has one; none checks who asks:
 * access is decided by the caller (a page or action with a session, or a cron with none).
 */
export async function findInstallation(id: string, db?: Executor): Promise<Installation | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const q = db ?? (await getDb());
  const [row] = await q.select().from(schema.installations).where(eq(schema.installations.id, id));
  return row;
}

/** The installation if the caller may see it; undefined (→ 404, never 403) otherwise, so ids do not leak. */
export async function installationFor(
  id: string | undefined,
  allowed: readonly string[],
): Promise<Installation | undefined> {
  if (!id || !allowed.includes(id)) return undefined;
  return findInstallation(id);
}

export async function findByRackbeatAccount(
  accountId: string,
  db?: Executor,
): Promise<Installation | undefined> {
  const q = db ?? (await getDb());
  const [row] = await q
    .select()
    .from(schema.installations)
    .where(eq(schema.installations.rackbeatAccountId, accountId));
  return row;
}

/** Installations (not uninstalled) of one e-conomic agreement. */
export async function findLiveByAgreement(agreementNumber: number, db?: Executor): Promise<Installation[]> {
  const q = db ?? (await getDb());
  return q
    .select()
    .from(schema.installations)
    .where(
      and(
        eq(schema.installations.economicAgreementNumber, agreementNumber),
        ne(schema.installations.status, "uninstalled"),
      ),
    );
}

export function economicGrantOf(installation: Installation): string | undefined {
  return installation.economicGrantToken ? decryptToken(installation.economicGrantToken) : undefined;
}

export function rackbeatTokenOf(installation: Installation): string | undefined {
  return installation.rackbeatAccessToken ? decryptToken(installation.rackbeatAccessToken) : undefined;
}
