import { and, eq, ne } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { decryptToken } from "@/lib/crypto";

export type Installation = typeof schema.installations.$inferSelect;

export async function findInstallation(id: string): Promise<Installation | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const db = await getDb();
  const [row] = await db.select().from(schema.installations).where(eq(schema.installations.id, id));
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

export async function findByRackbeatAccount(accountId: string): Promise<Installation | undefined> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(schema.installations)
    .where(eq(schema.installations.rackbeatAccountId, accountId));
  return row;
}

/** Installations (not uninstalled) of one e-conomic agreement. */
export async function findLiveByAgreement(agreementNumber: number): Promise<Installation[]> {
  const db = await getDb();
  return db
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
