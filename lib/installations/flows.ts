import { eq } from "drizzle-orm";
import { getDb, schema, type Tx } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { encryptToken } from "@/lib/crypto";
import { EconomicClient, grantUrl, type EconomicSelf } from "@/lib/economic/client";
import { env } from "@/lib/env";
import { HttpError } from "@/lib/http";
import { takeRateLimit } from "@/lib/limits";
import { localeFromAcceptLanguage } from "@/lib/locale";
import { errorFields, logger } from "@/lib/log";
import { acceptIntegration, RackbeatClient } from "@/lib/rackbeat/client";
import { UNCERTAIN } from "@/lib/uncertain";
import { claimGrant, grantAlreadyUsed } from "./grants";
import {
  advance,
  awaitsRackbeat,
  expireOverdue,
  giveBackRackbeatRequest,
  refusal,
  startPendingInstall,
  TooManyPendingInstalls,
  type InstallEvent,
} from "./install-state";
import {
  deleteOldPending,
  findPendingByState,
  rackbeatSideOf,
  type EconomicSide,
  type PendingInstall,
  type RackbeatSide,
} from "./pending";
import { InstallProblem } from "./problems";
import { findInstallation, findLiveByAgreement, installationFor } from "./repository";

/** An installation a browser proved access to, at the binding generation it proved it for. */
export type Binding = { id: string; generation: number };

/**
 * What a route handler must do next. Route handlers only translate these into redirects, cookies and
 * sign-ins; the decisions live here so they can be tested without a browser.
 */
export type InstallStep =
  | { kind: "redirect"; url: string; state?: string | null }
  | { kind: "signed-in"; bindings: Binding[]; redirectTo: string; displayName: string; state: null }
  | { kind: "problem"; problem: InstallProblem; state?: null };

/** The page where the person in the browser confirms what will be connected (app/install/confirm). */
export const CONSENT_PATH = "/install/confirm";
export const callbackUrl = () => `${env().appUrl}/install/economic/callback`;

export function localeFrom(acceptLanguage: string | null | undefined): "da-DK" | "en-US" {
  return UNCERTAIN.economic.grantLocales[localeFromAcceptLanguage(acceptLanguage)];
}

export const problem = (p: InstallProblem, clearState = false): InstallStep => ({
  kind: "problem",
  problem: p,
  ...(clearState ? { state: null } : {}),
});

/**
 * GET /install/rackbeat?token=… — the customer clicked Install in Rackbeat's Apps menu. The request is
 * accepted at once: the person clicking is that account's user, and only an accepted request tells us
 * which account it is, so that the confirmation page can name it. Nothing is bound yet.
 */
export async function startFromRackbeat(input: {
  requestToken: string | null;
  state: string | undefined;
  clientKey: string;
  acceptLanguage: string | null;
}): Promise<InstallStep> {
  if (!input.requestToken) return problem(new InstallProblem("missing_rackbeat_token"));
  if (!(await takeRateLimit("installStart", input.clientKey)).ok)
    return problem(new InstallProblem("rate_limited"));
  await sweepAbandonedInstalls();
  const waiting = await findPendingByState(input.state);
  let rackbeat: RackbeatSide;
  try {
    rackbeat = await acceptRackbeatRequest(input.requestToken);
  } catch (error) {
    return problem(asProblem(error), true);
  }
  // The customer came from e-conomic Market first: the agreement is already approved in this browser.
  if (awaitsRackbeat(waiting)) {
    if (await agreementTaken(waiting.economicAgreementNumber!, rackbeat.account.id)) {
      // Nothing can come of this install: give back what was taken, and say why.
      await advance(waiting, { kind: "abandon", reason: "agreement_taken" });
      await giveBackRackbeatRequest(rackbeat);
      return problem(new InstallProblem("agreement_taken"));
    }
    const attached = await advance(waiting, { kind: "attach", rackbeat });
    if (!attached.ok) return problem(attached.problem);
    return { kind: "redirect", url: CONSENT_PATH };
  }
  try {
    const created = await startPendingInstall({
      origin: "rackbeat_first",
      clientKey: input.clientKey,
      rackbeat,
    });
    return {
      kind: "redirect",
      url: grantUrl(callbackUrl(), localeFrom(input.acceptLanguage)),
      state: created.state,
    };
  } catch (error) {
    await giveBackRackbeatRequest(rackbeat);
    if (error instanceof TooManyPendingInstalls) return problem(new InstallProblem("too_many_installs"));
    throw error;
  }
}

/** GET /install/economic — approve the app in e-conomic: Market install, sign-in, or reconnect. */
export async function startEconomicGrant(input: {
  intent: "install" | "signin" | "reconnect";
  installationId?: string;
  allowedInstallationIds: string[];
  clientKey: string;
  acceptLanguage: string | null;
}): Promise<InstallStep> {
  if (!(await takeRateLimit("grantStart", input.clientKey)).ok)
    return problem(new InstallProblem("rate_limited"));
  await sweepAbandonedInstalls();
  let origin: "signin" | "reconnect" = "signin";
  let installationId: string | undefined;
  if (input.intent === "reconnect") {
    const installation = await installationFor(input.installationId, input.allowedInstallationIds);
    if (!installation) return problem(new InstallProblem("not_found"));
    origin = "reconnect";
    installationId = installation.id;
  }
  try {
    const created = await startPendingInstall({ origin, installationId, clientKey: input.clientKey });
    return {
      kind: "redirect",
      url: grantUrl(callbackUrl(), localeFrom(input.acceptLanguage)),
      state: created.state,
    };
  } catch (error) {
    if (error instanceof TooManyPendingInstalls) return problem(new InstallProblem("too_many_installs"));
    throw error;
  }
}

/**
 * GET /install/economic/callback — e-conomic sends the browser back, with `?token=` unless declined.
 * A callback this browser started (state cookie) continues its flow; one without state (e-conomic Market,
 * or a link someone sent) only stores the approval and asks for a confirmation: it never binds or signs
 * in by itself.
 */
export async function handleEconomicCallback(input: {
  query: URLSearchParams;
  state: string | undefined;
  clientKey: string;
}): Promise<InstallStep> {
  const grantToken =
    UNCERTAIN.economic.grantTokenParams.map((p) => input.query.get(p)).find(Boolean) ?? undefined;
  const pending = await findPendingByState(input.state);

  if (input.state && !pending) return problem(new InstallProblem("state_mismatch"), true);
  if (pending && !grantToken) {
    const declined = await advance(pending, { kind: "decline" });
    return problem(declined.ok ? new InstallProblem("declined") : declined.problem, true);
  }
  if (!grantToken) return problem(new InstallProblem("declined"), true);
  // What this approval does to the install this browser started, asked before it costs an e-conomic call.
  const refused = pending && (await refusal(pending, approvalEvent(pending)));
  if (refused) return problem(refused, true);
  // Each callback costs an e-conomic call: limited per address, and a used grant costs none.
  if (!(await takeRateLimit("callback", input.clientKey)).ok)
    return problem(new InstallProblem("rate_limited"));
  if (UNCERTAIN.economic.newGrantTokenPerApproval && (await grantAlreadyUsed(grantToken)))
    return problem(new InstallProblem("already_completed"), true);

  let self: EconomicSelf;
  try {
    self = await new EconomicClient(grantToken).getSelf();
  } catch (error) {
    const invalid = error instanceof HttpError && (error.status === 401 || error.status === 403);
    const failed = new InstallProblem(invalid ? "invalid_grant" : "economic_unavailable", errorFields(error));
    if (pending) await advance(pending, { kind: "abandon", reason: failed.code });
    return problem(failed, true);
  }
  const economic: EconomicSide = {
    grantToken,
    agreementNumber: self.agreementNumber,
    companyName: self.company.name,
    country: self.company.country ?? "",
  };

  try {
    switch (pending?.origin) {
      case "rackbeat_first": {
        // Both sides are known. An agreement connected to another Rackbeat account stays so: refused
        // here, before asking, so that the confirmation page (a GET) never has to change anything.
        if (await agreementTaken(economic.agreementNumber, rackbeatSideOf(pending)!.account.id)) {
          await advance(pending, { kind: "abandon", reason: "agreement_taken" });
          return problem(new InstallProblem("agreement_taken"));
        }
        // The person confirms what will be connected.
        const attached = await advance(pending, { kind: "attach", economic });
        if (!attached.ok) return problem(attached.problem, true);
        return { kind: "redirect", url: CONSENT_PATH };
      }
      case "reconnect":
      case "signin":
        // This browser started it and e-conomic's page just authenticated the person: the approval is
        // the confirmation.
        return await carryOutConfirmed(pending, () =>
          pending.origin === "reconnect"
            ? reconnect(pending.installationId!, economic, self)
            : signInOrAwaitRackbeat(economic, self, input.clientKey),
        );
      case "economic_first":
        // The same browser approved twice before finishing in Rackbeat: keep the newest approval.
        await advance(pending, { kind: "abandon", reason: "replaced" });
        break;
    }
    return await awaitConfirmation(economic, input.clientKey);
  } catch (error) {
    return problem(asProblem(error), true);
  }
}

/** What a returning approval means for the install this browser started (the sides it carries aside). */
function approvalEvent(pending: PendingInstall): InstallEvent {
  if (pending.origin === "rackbeat_first") return { kind: "attach", economic: {} as EconomicSide };
  if (pending.origin === "economic_first") return { kind: "abandon", reason: "replaced" };
  return { kind: "confirm" };
}

/**
 * Carries out a confirmed install or sign-in: the row is held in `confirming` while it runs (a second
 * submit is refused), then confirmed, or abandoned with the problem's code.
 */
export async function carryOutConfirmed(
  pending: PendingInstall,
  work: () => Promise<InstallStep>,
): Promise<InstallStep> {
  const claimed = await advance(pending, { kind: "confirm" });
  if (!claimed.ok) return problem(claimed.problem, true);
  let step: InstallStep;
  try {
    step = await work();
  } catch (error) {
    step = problem(asProblem(error), true);
  }
  await advance(
    claimed.pending,
    step.kind === "problem"
      ? { kind: "abandon", reason: step.problem.code }
      : { kind: "complete", reason: step.kind === "redirect" ? "continued_as_install" : undefined },
  );
  return step;
}

/** A stateless approval: to sign in to its installations, or to wait for the Rackbeat side. */
async function awaitConfirmation(economic: EconomicSide, clientKey: string): Promise<InstallStep> {
  const installations = await findLiveByAgreement(economic.agreementNumber);
  const created = await startPendingInstall({
    origin: installations.length ? "signin" : "economic_first",
    clientKey,
    economic,
  });
  return {
    kind: "redirect",
    url: installations.length ? CONSENT_PATH : "/install/connect",
    state: created.state,
  };
}

/** "Sign in with e-conomic", started in this browser: sign in, or wait for Rackbeat if nothing is installed. */
async function signInOrAwaitRackbeat(
  economic: EconomicSide,
  self: EconomicSelf,
  clientKey: string,
): Promise<InstallStep> {
  if ((await findLiveByAgreement(economic.agreementNumber)).length === 0)
    return awaitConfirmation(economic, clientKey);
  return signInWithGrant(economic, { displayName: personOf(self), actor: economicActor(self) });
}

/**
 * Signs in to every live installation of the approved agreement. The newest verified grant is kept, and
 * an installation paused by a revoked grant resumes. The grant is used up.
 */
export async function signInWithGrant(
  economic: EconomicSide,
  person: { displayName: string; actor: string },
): Promise<InstallStep> {
  const db = await getDb();
  const installations = await db.transaction(async (tx) => {
    if (!(await claimGrant(tx, economic.grantToken))) throw new InstallProblem("already_completed");
    const live = await findLiveByAgreement(economic.agreementNumber, tx);
    for (const installation of live) await renewGrant(tx, installation, economic.grantToken, person.actor);
    return live;
  });
  if (!installations.length) return problem(new InstallProblem("not_found"), true);
  return {
    kind: "signed-in",
    bindings: installations.map((i) => ({ id: i.id, generation: i.bindingGeneration })),
    redirectTo: installations.length === 1 ? `/installations/${installations[0].id}` : "/installations",
    displayName: person.displayName,
    state: null,
  };
}

async function reconnect(
  installationId: string,
  economic: EconomicSide,
  self: EconomicSelf,
): Promise<InstallStep> {
  const installation = await findInstallation(installationId);
  if (!installation || installation.status === "uninstalled") throw new InstallProblem("not_found");
  if (installation.economicAgreementNumber !== economic.agreementNumber)
    throw new InstallProblem("reconnect_mismatch", {
      expected: installation.economicAgreementNumber,
      got: economic.agreementNumber,
    });
  const db = await getDb();
  await db.transaction(async (tx) => {
    if (!(await claimGrant(tx, economic.grantToken))) throw new InstallProblem("already_completed");
    await renewGrant(tx, installation, economic.grantToken, economicActor(self));
  });
  return {
    kind: "signed-in",
    bindings: [{ id: installation.id, generation: installation.bindingGeneration }],
    redirectTo: `/installations/${installation.id}`,
    displayName: personOf(self),
    state: null,
  };
}

/** Keeps a newly verified grant (the same agreement) and resumes transfers paused by a revoked one. */
async function renewGrant(
  tx: Tx,
  installation: { id: string; status: string },
  grantToken: string,
  actor: string,
) {
  await tx
    .update(schema.installations)
    .set({ economicGrantToken: encryptToken(grantToken), status: "active", updatedAt: new Date() })
    .where(eq(schema.installations.id, installation.id));
  if (installation.status === "economic_revoked")
    await writeAudit(tx, {
      installationId: installation.id,
      actor,
      action: "installation.economic_reconnected",
    });
}

/**
 * Accepts a Rackbeat integration request and identifies its account. A refused token was never ours, so
 * nothing is cancelled. If the account cannot be read after the accept, the request is left as it is:
 * cancelling it could undo a live installation of an account we cannot name.
 */
export async function acceptRackbeatRequest(requestToken: string): Promise<RackbeatSide> {
  let accepted;
  try {
    accepted = await acceptIntegration(requestToken);
  } catch (error) {
    if (error instanceof HttpError && error.status >= 400 && error.status < 500)
      throw new InstallProblem("rackbeat_token_invalid", { status: error.status });
    throw new InstallProblem("rackbeat_unavailable", { step: "accept", ...errorFields(error) });
  }
  try {
    const self = await new RackbeatClient(accepted.access_token).getSelf();
    return {
      kind: "integration",
      accessToken: accepted.access_token,
      requestToken,
      appSlug: accepted.app_slug,
      redirectTo: accepted.redirect_to,
      account: { id: String(self.user_account.id), companyName: self.user_account.company_name },
    };
  } catch (error) {
    throw new InstallProblem("rackbeat_unavailable", { step: "self", ...errorFields(error) });
  }
}

/**
 * Installs nobody finished: each expired one gives back the Rackbeat request it took, and rows older than
 * a day are deleted. Run as install starts pass by (and by any cron), a few at a time; a failure here is
 * logged and never stops the install that triggered it.
 */
export async function sweepAbandonedInstalls(): Promise<number> {
  try {
    const expired = await expireOverdue();
    await deleteOldPending();
    return expired.length;
  } catch (error) {
    logger().warn({ event: "install.sweep_failed", ...errorFields(error) });
    return 0;
  }
}

/** One agreement ↔ one Rackbeat account: whether another account's live installation holds it. */
async function agreementTaken(agreementNumber: number, rackbeatAccountId: string): Promise<boolean> {
  return (await findLiveByAgreement(agreementNumber)).some((i) => i.rackbeatAccountId !== rackbeatAccountId);
}

export const asProblem = (error: unknown): InstallProblem =>
  error instanceof InstallProblem ? error : new InstallProblem("internal", errorFields(error));

/** The approving e-conomic user, as the session's display name and the activity log's actor. */
export const personOf = (self: EconomicSelf) => self.user?.name ?? self.user?.email ?? self.company.name;
export const economicActor = (self: EconomicSelf) =>
  `e-conomic:${self.user?.email ?? self.user?.loginId ?? self.agreementNumber}`;
