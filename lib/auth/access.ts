import { ACTORS } from "@/lib/actors";
import { auth } from "@/lib/auth";
import { signValue, verifySignedValue } from "@/lib/crypto";
export { installationFor } from "@/lib/installations/repository";

/**
 * Who may see an installation: holders of a session that lists it, or of a launch token minted when
 * Rackbeat opened our settings in its iframe (where third-party cookies may be blocked, so the token
 * travels in the URL and in forms instead of a cookie).
 */
const LAUNCH_PURPOSE = "launch";
export const LAUNCH_TOKEN_TTL_SECONDS = 30 * 60;

export const mintLaunchToken = (installationId: string) =>
  signValue(LAUNCH_PURPOSE, { installationId }, LAUNCH_TOKEN_TTL_SECONDS);

export function launchTokenInstallation(token: string | undefined | null): string | undefined {
  return verifySignedValue<{ installationId: string }>(LAUNCH_PURPOSE, token)?.installationId;
}

export async function allowedInstallationIds(launchToken?: string | null): Promise<string[]> {
  const session = await auth();
  const fromLaunch = launchTokenInstallation(launchToken);
  return [...new Set([...(session?.installationIds ?? []), ...(fromLaunch ? [fromLaunch] : [])])];
}

/** Who is acting, for the activity log: the signed-in user, or a Rackbeat user who opened us from Rackbeat. */
export async function currentActor(launchToken?: string | null): Promise<string> {
  const session = await auth();
  if (session?.user?.name) return session.user.name;
  // Machine actors are codes (`app/` words them in the history); people are stored by name.
  return launchTokenInstallation(launchToken) ? ACTORS.rackbeatLaunch : ACTORS.unknown;
}
