import { and, eq, isNotNull, lt, or, isNull, sql } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { randomToken, safeEqual, sha256 } from "@/lib/crypto";
import { takeRateLimit } from "@/lib/limits";
import { errorFields, logger } from "@/lib/log";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { launchUrl } from "./complete-install";
import { rackbeatTokenOf, type Installation } from "./repository";

/**
 * The settings URL Rackbeat opens (`/launch/<id>/<secret>`) is a bearer link: whoever holds it opens the
 * installation's pages. So it does not live for ever: its secret is replaced every week (and on demand
 * from the settings page), registered anew with Rackbeat (`set-settings-url`), and the old one is refused
 * after a short grace (none when replaced on demand: a link that may have leaked stops at once).
 */
export const LAUNCH_SECRET = { rotateEveryDays: 7, graceMinutes: 15 } as const;

/** Whether `secret` opens this installation now: its current secret, or the one before within the grace. */
export function launchSecretMatches(installation: Installation, secret: string, now = new Date()): boolean {
  const hash = sha256(secret);
  if (installation.launchSecretHash && safeEqual(installation.launchSecretHash, hash)) return true;
  return Boolean(
    installation.previousLaunchSecretHash &&
    installation.previousLaunchSecretUntil &&
    installation.previousLaunchSecretUntil > now &&
    safeEqual(installation.previousLaunchSecretHash, hash),
  );
}

export type RotationOutcome = "replaced" | "not_registered" | "rackbeat_refused";

/**
 * Replaces the installation's launch secret: stored first (the old one kept for the grace, so the URL
 * Rackbeat still shows keeps working meanwhile), then registered with Rackbeat; if Rackbeat refuses, the
 * old secret is put back as it was. Installations without a settings URL (connected with an API key)
 * have nothing to replace.
 */
export async function rotateLaunchSecret(
  installation: Installation,
  input: { actor: string; graceMinutes?: number },
): Promise<RotationOutcome> {
  const token = rackbeatTokenOf(installation);
  if (!installation.rackbeatAppSlug || !token || installation.status !== "active") return "not_registered";
  const secret = randomToken();
  const hash = sha256(secret);
  const grace = input.graceMinutes ?? LAUNCH_SECRET.graceMinutes;
  const db = await getDb();
  const i = schema.installations;
  await db
    .update(i)
    .set({
      previousLaunchSecretHash: sql`${i.launchSecretHash}`,
      previousLaunchSecretUntil: new Date(Date.now() + grace * 60_000),
      launchSecretHash: hash,
      launchSecretRotatedAt: new Date(),
    })
    .where(eq(i.id, installation.id));
  try {
    await new RackbeatClient(token).setSettingsUrl(
      installation.rackbeatAppSlug,
      launchUrl(installation.id, secret),
    );
  } catch (error) {
    logger().warn({
      event: "launch.rotation_failed",
      installationId: installation.id,
      ...errorFields(error),
    });
    // Rackbeat still shows the old URL: it stays the current one (unless another rotation came between).
    await db
      .update(i)
      .set({
        launchSecretHash: sql`${i.previousLaunchSecretHash}`,
        previousLaunchSecretHash: null,
        previousLaunchSecretUntil: null,
        // Tried again in a day, not at every sweep and not only next week.
        launchSecretRotatedAt: new Date(Date.now() - (LAUNCH_SECRET.rotateEveryDays - 1) * 24 * 3600 * 1000),
      })
      .where(and(eq(i.id, installation.id), eq(i.launchSecretHash, hash)));
    return "rackbeat_refused";
  }
  await writeAudit(db, {
    installationId: installation.id,
    actor: input.actor,
    action: "installation.launch_link_replaced",
    details: { graceMinutes: grace },
  });
  return "replaced";
}

/** The weekly replacement, for every active installation whose secret is older than a week (bounded). */
export async function rotateDueLaunchSecrets(actor: string, limit = 50): Promise<{ replaced: number }> {
  const db = await getDb();
  const i = schema.installations;
  const due = new Date(Date.now() - LAUNCH_SECRET.rotateEveryDays * 24 * 3600 * 1000);
  const rows = await db
    .select()
    .from(i)
    .where(
      and(
        eq(i.status, "active"),
        isNotNull(i.rackbeatAppSlug),
        isNotNull(i.launchSecretHash),
        or(isNull(i.launchSecretRotatedAt), lt(i.launchSecretRotatedAt, due)),
      ),
    )
    .limit(limit);
  let replaced = 0;
  for (const row of rows) if ((await rotateLaunchSecret(row, { actor })) === "replaced") replaced++;
  return { replaced };
}

/**
 * "Replace the link now" on the settings page: no grace (a link that may have been seen stops at once),
 * and a few a minute per installation (each is a Rackbeat call).
 */
export async function replaceLaunchLinkNow(
  installation: Installation,
  actor: string,
): Promise<RotationOutcome | "limited"> {
  if (!(await takeRateLimit("launchLinkReplace", installation.id)).ok) return "limited";
  return rotateLaunchSecret(installation, { actor, graceMinutes: 0 });
}
