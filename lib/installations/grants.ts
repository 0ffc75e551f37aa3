import { eq } from "drizzle-orm";
import { getDb, schema, type Executor } from "@/db/client";
import { sha256 } from "@/lib/crypto";

/**
 * A grant token that arrives in a URL binds or signs in once. e-conomic issues a new grant token for each
 * approval (UNCERTAIN, lib/uncertain.ts), so a fresh approval always works, while the same token found
 * later in a browser's history or a request log opens nothing.
 */
export async function grantAlreadyUsed(grantToken: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db
    .select({ tokenHash: schema.usedGrants.tokenHash })
    .from(schema.usedGrants)
    .where(eq(schema.usedGrants.tokenHash, sha256(grantToken)));
  return Boolean(row);
}

/** Marks the grant used, in the caller's transaction; false when it was used already (a replay). */
export async function claimGrant(tx: Executor, grantToken: string): Promise<boolean> {
  const rows = await tx
    .insert(schema.usedGrants)
    .values({ tokenHash: sha256(grantToken) })
    .onConflictDoNothing()
    .returning({ tokenHash: schema.usedGrants.tokenHash });
  return rows.length === 1;
}
