import { inArray } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { ACTORS } from "@/lib/actors";
import { auth, type Binding } from "@/lib/auth";
import { signValue, verifySignedValue } from "@/lib/crypto";
export { installationFor } from "@/lib/installations/repository";

/**
 * Who may see an installation: holders of a session that lists it, or of a launch token minted when
 * Rackbeat opened our settings in its iframe (where third-party cookies may be blocked, so the token
 * travels in the URL and in forms instead of a cookie). Either names the binding generation it was
 * proved for; once the installation is bound again or uninstalled, that proof opens nothing.
 */
const LAUNCH_PURPOSE = "launch";
export const LAUNCH_TOKEN_TTL_SECONDS = 30 * 60;

export const mintLaunchToken = (binding: Binding) =>
  signValue(
    LAUNCH_PURPOSE,
    { installationId: binding.id, generation: binding.generation },
    LAUNCH_TOKEN_TTL_SECONDS,
  );

export function launchTokenBinding(token: string | undefined | null): Binding | undefined {
  const payload = verifySignedValue<{ installationId: string; generation: number }>(LAUNCH_PURPOSE, token);
  return payload ? { id: payload.installationId, generation: payload.generation } : undefined;
}

/** The ids of installations whose current binding the caller proved; checked against the database. */
export async function allowedInstallationIds(launchToken?: string | null): Promise<string[]> {
  const session = await auth();
  const fromLaunch = launchTokenBinding(launchToken);
  return currentBindings([...(session?.bindings ?? []), ...(fromLaunch ? [fromLaunch] : [])]);
}

/**
 * Of the bindings a caller proved, the installations still bound that way: same generation, not
 * uninstalled. A rebinding or an uninstall ends access at the next request.
 */
export async function currentBindings(proved: Binding[]): Promise<string[]> {
  const claimed = proved.filter((b) => /^[0-9a-f-]{36}$/i.test(b.id));
  if (!claimed.length) return [];
  const db = await getDb();
  const current = await db
    .select({
      id: schema.installations.id,
      generation: schema.installations.bindingGeneration,
      status: schema.installations.status,
    })
    .from(schema.installations)
    .where(inArray(schema.installations.id, [...new Set(claimed.map((b) => b.id))]));
  return current
    .filter(
      (i) =>
        i.status !== "uninstalled" && claimed.some((b) => b.id === i.id && b.generation === i.generation),
    )
    .map((i) => i.id);
}

/** Who is acting, for the activity log: the signed-in user, or a Rackbeat user who opened us from Rackbeat. */
export async function currentActor(launchToken?: string | null): Promise<string> {
  const session = await auth();
  if (session?.user?.name) return session.user.name;
  // Machine actors are codes (`app/` words them in the history); people are stored by name.
  return launchTokenBinding(launchToken) ? ACTORS.rackbeatLaunch : ACTORS.unknown;
}
