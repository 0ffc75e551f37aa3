import { auth } from "@/lib/auth";
import { signValue, verifySignedValue } from "@/lib/crypto";
import { findInstallation, type Installation } from "@/lib/installations/repository";

/**
 * Who may see an installation: holders of a session that lists it, or of a launch token minted when
 * Rackbeat opened our settings in its iframe (where third-party cookies may be blocked, so the token
 * travels in the URL and in forms instead of a cookie).
 */
const LAUNCH_PURPOSE = "launch";
export const LAUNCH_TOKEN_TTL_SECONDS = 30 * 60;

export const mintLaunchToken = (installationId: string) => signValue(LAUNCH_PURPOSE, { installationId }, LAUNCH_TOKEN_TTL_SECONDS);

export function launchTokenInstallation(token: string | undefined | null): string | undefined {
  return verifySignedValue<{ installationId: string }>(LAUNCH_PURPOSE, token)?.installationId;
}

export async function allowedInstallationIds(launchToken?: string | null): Promise<string[]> {
  const session = await auth();
  const fromLaunch = launchTokenInstallation(launchToken);
  return [...new Set([...(session?.installationIds ?? []), ...(fromLaunch ? [fromLaunch] : [])])];
}

/** The installation if the caller may see it; undefined (→ 404, never 403) otherwise, so ids do not leak. */
export async function installationFor(id: string, allowed: readonly string[]): Promise<Installation | undefined> {
  if (!allowed.includes(id)) return undefined;
  return findInstallation(id);
}

/** Who is acting, for the activity log: the signed-in user, or a Rackbeat user who opened us from Rackbeat. */
export async function currentActor(launchToken?: string | null): Promise<string> {
  const session = await auth();
  if (session?.user?.name) return session.user.name;
  return launchTokenInstallation(launchToken) ? "Rackbeat user (opened from Rackbeat)" : "unknown";
}
