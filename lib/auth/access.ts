import { inArray } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { ACTORS } from "@/lib/actors";
import { auth, type Binding } from "@/lib/auth";
import { signValue, verifySignedValue } from "@/lib/crypto";
import { findInstallation, type Installation } from "@/lib/installations/repository";

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

/** The installations this browser's session holds (the account menu's list), still bound as proved. */
export async function sessionInstallationIds(): Promise<string[]> {
  const session = await auth();
  return currentBindings(session?.bindings ?? []);
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

/** What a request may do with one installation, as decided by `accessInstallation`. */
export type InstallationAccess = {
  installation: Installation;
  /** The launch token that proved it (Rackbeat's iframe), to carry on in links and forms; else none. */
  launchToken?: string;
  /** The session itself holds this installation: at top level the token can leave the address. */
  bySession: boolean;
  /** Who acts, for the history: the signed-in person, or a Rackbeat user who opened us from Rackbeat. */
  actor: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one decision whether a request may see and act on an installation: its session lists the
 * installation, or it carries a launch token minted for it, either for the installation's current
 * binding generation (a rebinding or an uninstall ends both at the next request). Anything malformed
 * (an id that is no id, a token that is no string) is simply no access. Pages, server actions and route
 * handlers all ask this, through the wrappers in app/installations/access.ts.
 */
export async function accessInstallation(
  installationId: unknown,
  launchToken: unknown,
): Promise<InstallationAccess | undefined> {
  if (typeof installationId !== "string" || !UUID.test(installationId)) return undefined;
  const token = typeof launchToken === "string" && launchToken.length <= 4096 ? launchToken : undefined;
  const session = await auth();
  const fromLaunch = launchTokenBinding(token);
  const installation = await findInstallation(installationId);
  if (!installation || installation.status === "uninstalled") return undefined;
  const current = (b: Binding | undefined) =>
    b?.id === installation.id && b.generation === installation.bindingGeneration;
  const bySession = (session?.bindings ?? []).some(current);
  const byLaunch = current(fromLaunch);
  if (!bySession && !byLaunch) return undefined;
  return {
    installation,
    launchToken: byLaunch ? token : undefined,
    bySession,
    // Machine actors are codes (`app/` words them in the history); people are stored by name.
    actor:
      bySession && session?.user?.name
        ? session.user.name
        : byLaunch
          ? ACTORS.rackbeatLaunch
          : ACTORS.unknown,
  };
}
