import { signValue, verifySignedValue } from "@/lib/crypto";
import { contactFromEconomic } from "@/lib/alerts/contact";
import { EconomicClient } from "@/lib/economic/client";
import { HttpError } from "@/lib/http";
import { takeRateLimit } from "@/lib/limits";
import { errorFields } from "@/lib/log";
import { completeInstall } from "./complete-install";
import {
  carryOutConfirmed,
  economicActor,
  personOf,
  problem,
  signInWithGrant,
  type InstallStep,
} from "./flows";
import { advance, awaitsConfirmation, refusal } from "./install-state";
import {
  economicSideOf,
  findPendingByState,
  PENDING_INSTALL_TTL_MS,
  rackbeatSideOf,
  type PendingInstall,
} from "./pending";
import { InstallProblem } from "./problems";
import { findByRackbeatAccount, findLiveByAgreement } from "./repository";

const CONSENT_PURPOSE = "install-consent";

type Named = { number: string; name: string };

/** What the confirmation page shows: both sides by name, and what an installation would change. */
export type Consent =
  | {
      kind: "install";
      rackbeat: Named;
      economic: Named;
      /** Reinstalling an account that was connected to another agreement moves its settings and history. */
      previousAgreement?: Named;
      reinstall: boolean;
      csrf: string;
    }
  | {
      kind: "signin";
      economic: Named;
      installations: { rackbeat: Named }[];
      csrf: string;
    }
  | { kind: "problem"; problem: InstallProblem }
  | { kind: "none" };

/**
 * The install waiting for a confirmation in this browser, described for the page. Reading only: the page
 * is a GET, which a browser may prefetch.
 */
export async function describeConsent(state: string | undefined): Promise<Consent> {
  const pending = await findPendingByState(state);
  if (!awaitsConfirmation(pending)) return { kind: "none" };
  const economic = economicSideOf(pending);
  const rackbeat = rackbeatSideOf(pending);
  if (!economic) return { kind: "none" };
  const csrf = signValue(CONSENT_PURPOSE, { pendingId: pending.id }, PENDING_INSTALL_TTL_MS / 1000);
  const agreement = { number: String(economic.agreementNumber), name: economic.companyName };
  if (pending.origin === "signin") {
    const installations = await findLiveByAgreement(economic.agreementNumber);
    if (!installations.length) return { kind: "none" };
    return {
      kind: "signin",
      economic: agreement,
      installations: installations.map((i) => ({
        rackbeat: { number: i.rackbeatAccountId, name: i.rackbeatCompanyName },
      })),
      csrf,
    };
  }
  if (!rackbeat) return { kind: "none" };
  // Said before the person confirms, not after: an agreement connected to another account stays so.
  const taken = (await findLiveByAgreement(economic.agreementNumber)).some(
    (i) => i.rackbeatAccountId !== rackbeat.account.id,
  );
  // Refused when the second side arrived (flows.ts); taken since then (a race), it is said here and
  // changed nowhere: rendering is safe to prefetch, and the sweep gives the request back at expiry.
  if (taken) return { kind: "problem", problem: new InstallProblem("agreement_taken") };
  const existing = await findByRackbeatAccount(rackbeat.account.id);
  return {
    kind: "install",
    rackbeat: { number: rackbeat.account.id, name: rackbeat.account.companyName },
    economic: agreement,
    reinstall: Boolean(existing),
    ...(existing &&
    existing.status !== "uninstalled" &&
    existing.economicAgreementNumber !== economic.agreementNumber
      ? {
          previousAgreement: {
            number: String(existing.economicAgreementNumber),
            name: existing.economicCompanyName,
          },
        }
      : {}),
    csrf,
  };
}

/**
 * The person's answer on the confirmation page (POST, with the page's CSRF value and this browser's
 * state cookie). Only a confirmation binds accounts or signs in; declining gives back what was taken.
 */
export async function answerConsent(input: {
  state: string | undefined;
  csrf: string;
  decision: "confirm" | "decline";
  clientKey: string;
}): Promise<InstallStep> {
  const pending = await findPendingByState(input.state);
  const signed = verifySignedValue<{ pendingId: string }>(CONSENT_PURPOSE, input.csrf);
  if (!pending || !signed || signed.pendingId !== pending.id)
    return problem(new InstallProblem("state_mismatch"), true);
  const refused = await refusal(pending, { kind: input.decision === "decline" ? "decline" : "confirm" });
  if (refused) return problem(refused, true);
  if (!(await takeRateLimit("confirm", input.clientKey)).ok)
    return problem(new InstallProblem("rate_limited"));
  if (input.decision === "decline") {
    const declined = await advance(pending, { kind: "decline" });
    return problem(declined.ok ? new InstallProblem("consent_declined") : declined.problem, true);
  }
  // Held in `confirming` first, atomically: a second submit racing this one gets "already completed".
  return carryOutConfirmed(pending, () => carryOut(pending));
}

async function carryOut(pending: PendingInstall): Promise<InstallStep> {
  const economic = economicSideOf(pending);
  if (!economic) throw new InstallProblem("state_mismatch");
  // Re-verify: the approval may have been withdrawn while the person read the page.
  let self;
  try {
    self = await new EconomicClient(economic.grantToken).getSelf();
  } catch (error) {
    const invalid = error instanceof HttpError && (error.status === 401 || error.status === 403);
    throw new InstallProblem(invalid ? "invalid_grant" : "economic_unavailable", errorFields(error));
  }
  if (self.agreementNumber !== economic.agreementNumber) throw new InstallProblem("invalid_grant");
  const person = { displayName: personOf(self), actor: economicActor(self) };
  if (pending.origin === "signin") return signInWithGrant(economic, person);
  const rackbeat = rackbeatSideOf(pending);
  if (!rackbeat) throw new InstallProblem("state_mismatch");
  const done = await completeInstall({
    economic,
    rackbeat,
    actor: person.actor,
    contact: contactFromEconomic(self),
  });
  return {
    kind: "signed-in",
    bindings: [{ id: done.installationId, generation: done.generation }],
    redirectTo: done.redirectTo,
    displayName: person.displayName,
    state: null,
  };
}
