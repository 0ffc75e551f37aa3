import { eq } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { decryptToken, encryptToken } from "@/lib/crypto";
import { EconomicClient, grantUrl, type EconomicSelf } from "@/lib/economic/client";
import { env } from "@/lib/env";
import { HttpError } from "@/lib/http";
import { localeFromAcceptLanguage } from "@/lib/locale";
import { loggedAndIgnored } from "@/lib/log";
import { cancelIntegration } from "@/lib/rackbeat/client";
import { UNCERTAIN } from "@/lib/uncertain";
import { completeInstall } from "./complete-install";
import {
  consumePending,
  createPendingInstall,
  findPendingByState,
  isExpired,
  type PendingInstall,
} from "./pending";
import { InstallProblem } from "./problems";
import { findInstallation, findLiveByAgreement, installationFor } from "./repository";

/**
 * What a route handler must do next. Route handlers only translate these into redirects, cookies and
 * sign-ins; the decisions live here so they can be tested without a browser.
 */
export type InstallStep =
  | { kind: "redirect"; url: string; state?: string | null }
  | { kind: "signed-in"; installationIds: string[]; redirectTo: string; displayName: string; state: null }
  | { kind: "problem"; problem: InstallProblem; state?: null };

export const callbackUrl = () => `${env().appUrl}/install/economic/callback`;

export function localeFrom(acceptLanguage: string | null | undefined): "da-DK" | "en-US" {
  return UNCERTAIN.economic.grantLocales[localeFromAcceptLanguage(acceptLanguage)];
}

const problem = (p: InstallProblem, clearState = false): InstallStep => ({
  kind: "problem",
  problem: p,
  ...(clearState ? { state: null } : {}),
});

/** GET /install/rackbeat?token=… — the customer clicked Install in Rackbeat's Apps menu. */
export async function startFromRackbeat(input: {
  requestToken: string | null;
  state: string | undefined;
  acceptLanguage: string | null;
}): Promise<InstallStep> {
  if (!input.requestToken) return problem(new InstallProblem("missing_rackbeat_token"));
  // The customer came from e-conomic Market first: the agreement is already approved in this browser.
  const pending = await findPendingByState(input.state);
  if (
    pending?.origin === "economic_first" &&
    !pending.consumedAt &&
    !isExpired(pending) &&
    pending.economicGrantToken
  ) {
    return finishEconomicFirst(pending, { requestToken: input.requestToken });
  }
  const created = await createPendingInstall({
    origin: "rackbeat_first",
    rackbeatRequestToken: input.requestToken,
  });
  return {
    kind: "redirect",
    url: grantUrl(callbackUrl(), localeFrom(input.acceptLanguage)),
    state: created.state,
  };
}

/** GET /install/economic — approve the app in e-conomic: Market install, sign-in, or reconnect. */
export async function startEconomicGrant(input: {
  intent: "install" | "signin" | "reconnect";
  installationId?: string;
  allowedInstallationIds: string[];
  acceptLanguage: string | null;
}): Promise<InstallStep> {
  let origin: "signin" | "reconnect" = "signin";
  let installationId: string | undefined;
  if (input.intent === "reconnect") {
    const installation = await installationFor(input.installationId, input.allowedInstallationIds);
    if (!installation) return problem(new InstallProblem("not_found"));
    origin = "reconnect";
    installationId = installation.id;
  }
  const created = await createPendingInstall({ origin, installationId });
  return {
    kind: "redirect",
    url: grantUrl(callbackUrl(), localeFrom(input.acceptLanguage)),
    state: created.state,
  };
}

/** GET /install/economic/callback — e-conomic sends the browser back, with `?token=` unless declined. */
export async function handleEconomicCallback(input: {
  query: URLSearchParams;
  state: string | undefined;
}): Promise<InstallStep> {
  const grantToken =
    UNCERTAIN.economic.grantTokenParams.map((p) => input.query.get(p)).find(Boolean) ?? undefined;
  const pending = await findPendingByState(input.state);

  if (input.state && !pending) return problem(new InstallProblem("state_mismatch"), true);
  if (pending) {
    if (pending.consumedAt) return problem(new InstallProblem("already_completed"), true);
    if (isExpired(pending)) {
      await abandon(pending);
      return problem(new InstallProblem("expired"), true);
    }
  }
  if (!grantToken) {
    if (pending) await abandon(pending);
    return problem(new InstallProblem("declined"), true);
  }

  let self: EconomicSelf;
  try {
    self = await new EconomicClient(grantToken).getSelf();
  } catch (error) {
    if (pending) await abandon(pending);
    const invalid = error instanceof HttpError && (error.status === 401 || error.status === 403);
    return problem(
      new InstallProblem(invalid ? "invalid_grant" : "economic_unavailable", { error: String(error) }),
      true,
    );
  }

  try {
    if (pending?.origin === "rackbeat_first") {
      // Consumed first, atomically: a replayed callback racing this one gets "already completed".
      if (!(await consumePending(pending.id))) return problem(new InstallProblem("already_completed"), true);
      const done = await completeInstall({
        grantToken,
        self,
        rackbeat: { requestToken: decryptToken(pending.rackbeatRequestToken!) },
        actor: economicActor(self),
      });
      return {
        kind: "signed-in",
        installationIds: [done.installationId],
        redirectTo: done.redirectTo,
        displayName: personOf(self),
        state: null,
      };
    }
    if (pending?.origin === "reconnect") {
      if (!(await consumePending(pending.id))) return problem(new InstallProblem("already_completed"), true);
      return await reconnect(pending.installationId!, grantToken, self);
    }
    if (pending?.origin === "economic_first") {
      // The same browser approved twice before finishing in Rackbeat: keep the newest approval.
      await consumePending(pending.id);
    }
    if (pending?.origin === "signin" && !(await consumePending(pending.id)))
      return problem(new InstallProblem("already_completed"), true);
    return await signInOrAwaitRackbeat(grantToken, self);
  } catch (error) {
    if (error instanceof InstallProblem) return problem(error, true);
    return problem(new InstallProblem("internal", { error: String(error) }), true);
  }
}

/** Market install or "Sign in with e-conomic": a verified grant for an agreement, no Rackbeat token yet. */
async function signInOrAwaitRackbeat(grantToken: string, self: EconomicSelf): Promise<InstallStep> {
  const installations = await findLiveByAgreement(self.agreementNumber);
  if (installations.length) {
    // A fresh, verified grant also heals an installation whose access was revoked.
    for (const installation of installations)
      if (installation.status === "economic_revoked")
        await renewGrant(installation.id, grantToken, economicActor(self));
    const redirectTo =
      installations.length === 1 ? `/installations/${installations[0].id}` : "/installations";
    return {
      kind: "signed-in",
      installationIds: installations.map((i) => i.id),
      redirectTo,
      displayName: personOf(self),
      state: null,
    };
  }
  const created = await createPendingInstall({
    origin: "economic_first",
    economicGrantToken: grantToken,
    economicAgreementNumber: self.agreementNumber,
    economicCompanyName: self.company.name,
  });
  return { kind: "redirect", url: "/install/connect", state: created.state };
}

/** Rackbeat's Install click (or a pasted API key) arrives for an agreement approved earlier in this browser. */
export async function finishEconomicFirst(
  pending: PendingInstall,
  rackbeat: { requestToken: string } | { apiKey: string },
): Promise<InstallStep> {
  if (pending.origin !== "economic_first" || !pending.economicGrantToken)
    return problem(new InstallProblem("state_mismatch"), true);
  if (pending.consumedAt) return problem(new InstallProblem("already_completed"), true);
  if (isExpired(pending)) return problem(new InstallProblem("expired"), true);
  const grantToken = decryptToken(pending.economicGrantToken);
  if (!(await consumePending(pending.id))) return problem(new InstallProblem("already_completed"), true);
  try {
    // Re-verify: the approval may have been withdrawn while the customer was in Rackbeat.
    const self = await new EconomicClient(grantToken).getSelf();
    const done = await completeInstall({ grantToken, self, rackbeat, actor: economicActor(self) });
    return {
      kind: "signed-in",
      installationIds: [done.installationId],
      redirectTo: done.redirectTo,
      displayName: personOf(self),
      state: null,
    };
  } catch (error) {
    if ("requestToken" in rackbeat && !(error instanceof InstallProblem))
      await cancelIntegration(rackbeat.requestToken).catch(
        loggedAndIgnored("install.rackbeat_cancel_failed"),
      );
    if (error instanceof InstallProblem) return problem(error, true);
    const invalid = error instanceof HttpError && error.status === 401;
    return problem(
      new InstallProblem(invalid ? "invalid_grant" : "economic_unavailable", { error: String(error) }),
      true,
    );
  }
}

async function reconnect(
  installationId: string,
  grantToken: string,
  self: EconomicSelf,
): Promise<InstallStep> {
  const installation = await findInstallation(installationId);
  if (!installation || installation.status === "uninstalled") throw new InstallProblem("not_found");
  if (installation.economicAgreementNumber !== self.agreementNumber)
    throw new InstallProblem("reconnect_mismatch", {
      expected: installation.economicAgreementNumber,
      got: self.agreementNumber,
    });
  await renewGrant(installation.id, grantToken, economicActor(self));
  return {
    kind: "signed-in",
    installationIds: [installation.id],
    redirectTo: `/installations/${installation.id}`,
    displayName: personOf(self),
    state: null,
  };
}

/** Stores a newly verified grant and resumes transfers paused by a revoked one. */
async function renewGrant(installationId: string, grantToken: string, actor: string) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx
      .update(schema.installations)
      .set({ economicGrantToken: encryptToken(grantToken), status: "active", updatedAt: new Date() })
      .where(eq(schema.installations.id, installationId));
    await writeAudit(tx, { installationId, actor, action: "installation.economic_reconnected" });
  });
}

/** A failed or abandoned install: give Rackbeat its request back and make the state unusable. */
async function abandon(pending: PendingInstall) {
  await consumePending(pending.id);
  if (pending.rackbeatRequestToken)
    await cancelIntegration(decryptToken(pending.rackbeatRequestToken)).catch(
      loggedAndIgnored("install.rackbeat_cancel_failed"),
    );
}

/** The approving e-conomic user, as the session's display name and the activity log's actor. */
const personOf = (self: EconomicSelf) => self.user?.name ?? self.user?.email ?? self.company.name;
const economicActor = (self: EconomicSelf) =>
  `e-conomic:${self.user?.email ?? self.user?.loginId ?? self.agreementNumber}`;
