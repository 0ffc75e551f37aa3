import { and, eq, ne, sql } from "drizzle-orm";
import { getDb, schema, type Executor } from "@/db/client";
import { ACTORS } from "@/lib/actors";
import { writeAudit } from "@/lib/audit";
import { EconomicClient, isRevokedGrant } from "@/lib/economic/client";
import { queuePauseAlert } from "@/lib/alerts/transfer";
import { UNCERTAIN } from "@/lib/uncertain";
import { economicGrantOf, type Installation } from "./repository";

/**
 * Rackbeat says the app was uninstalled: stop everything, forget every token that gives access, and end
 * every session (a new binding generation). Settings and history stay, so that a reinstall of the same
 * account picks up where it left off. The uninstall webhook's own token is kept: it can do nothing but
 * this, and it lets a redelivery be acknowledged instead of retried forever.
 */
export async function markUninstalled(
  installationId: string,
  actor: string,
  within?: Executor,
): Promise<void> {
  const db = await getDb();
  const run = <T>(fn: (tx: Executor) => Promise<T>) => (within ? fn(within) : db.transaction(fn));
  await run(async (tx) => {
    const [before] = await tx
      .select({ status: schema.installations.status })
      .from(schema.installations)
      .where(eq(schema.installations.id, installationId))
      .for("update");
    await tx
      .update(schema.installations)
      .set({
        status: "uninstalled",
        uninstalledAt: new Date(),
        rackbeatAccessToken: null,
        economicGrantToken: null,
        launchSecretHash: null,
        previousLaunchSecretHash: null,
        previousLaunchSecretUntil: null,
        bindingGeneration: sql`${schema.installations.bindingGeneration} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(schema.installations.id, installationId));
    await tx
      .update(schema.rackbeatWebhooks)
      .set({ token: null })
      .where(
        and(
          eq(schema.rackbeatWebhooks.installationId, installationId),
          ne(schema.rackbeatWebhooks.event, UNCERTAIN.rackbeat.webhookEvents.pluginUninstalled),
        ),
      );
    await writeAudit(tx, { installationId, actor, action: "installation.uninstalled" });
    // The contact hears of it at once; a repeated uninstall says nothing new.
    if (before && before.status !== "uninstalled") await queuePauseAlert(tx, installationId, "uninstalled");
  });
}

/** e-conomic answered 401: the grant was revoked. Transfers pause (the outbox skips the installation). */
export const markEconomicRevoked = (installationId: string, details: Record<string, unknown> = {}) =>
  markRevoked(installationId, "economic", details);

/**
 * Rackbeat answered 401: its access was taken back (a key deleted, the app removed without the uninstall
 * webhook). Transfers pause, nothing is lost; installing the app again from Rackbeat's Apps menu makes it
 * active and the paused transfers go on.
 */
export const markRackbeatRevoked = (installationId: string, details: Record<string, unknown> = {}) =>
  markRevoked(installationId, "rackbeat", details);

/** An active installation whose access one side took back: paused, and said once in the history. */
async function markRevoked(
  installationId: string,
  side: "economic" | "rackbeat",
  details: Record<string, unknown>,
) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const changed = await tx
      .update(schema.installations)
      .set({ status: `${side}_revoked`, updatedAt: new Date() })
      .where(and(eq(schema.installations.id, installationId), eq(schema.installations.status, "active")))
      .returning({ id: schema.installations.id });
    if (!changed.length) return;
    await writeAudit(tx, {
      installationId,
      actor: ACTORS.system,
      action: `installation.${side}_revoked`,
      details,
    });
    // The pause and the e-mail that tells of it are one fact.
    await queuePauseAlert(tx, installationId, `${side}_revoked`);
  });
}

/**
 * Runs `fn` with the installation's e-conomic client; a 401 marks the installation revoked and rethrows,
 * so every caller gets the same behaviour without handling it itself.
 */
export async function withEconomic<T>(
  installation: Installation,
  fn: (client: EconomicClient) => Promise<T>,
): Promise<T> {
  const grant = economicGrantOf(installation);
  if (!grant) throw new Error("installation has no e-conomic grant token");
  try {
    return await fn(new EconomicClient(grant));
  } catch (error) {
    if (isRevokedGrant(error))
      await markEconomicRevoked(installation.id, { reason: "e-conomic answered 401" });
    throw error;
  }
}
