import { and, count, eq, gt, inArray, lt } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import type { PendingInstallOrigin, PendingInstallState } from "@/db/vocabulary";
import { randomToken, sha256 } from "@/lib/crypto";
import { MAX_LIVE_PENDING_PER_CLIENT } from "@/lib/limits";
import { loggedAndIgnored, logger } from "@/lib/log";
import { cancelIntegration } from "@/lib/rackbeat/client";
import {
  economicColumns,
  PENDING_INSTALL_TTL_MS,
  rackbeatColumns,
  rackbeatSideOf,
  type EconomicSide,
  type PendingInstall,
  type RackbeatSide,
} from "./pending";
import { InstallProblem, type InstallProblemCode } from "./problems";
import { findByRackbeatAccount } from "./repository";

/*
 * A pending install's life, decided here and nowhere else: every branch of both install paths (Rackbeat's
 * Apps menu first, e-conomic first) and of sign-in and reconnect asks `decide` or `advance`.
 *
 *   start ─▶ started ──attach──▶ both_sides_known ──confirm──▶ confirming ──complete──▶ confirmed
 *              │  ▲                 │  ▲ attach: the newest side counts      │
 *              │  └─ confirm ───────┼──┼── (sign-in, reconnect: this browser's own approval is its confirmation)
 *              │                    │                                        │
 *              └─ decline ─▶ declined, abandon ─▶ abandoned, expire ─▶ expired ◀─┘ (abandon, expire)
 *
 * confirmed, declined, expired and abandoned are endings: a row never leaves one. Entering declined,
 * expired or abandoned gives back a Rackbeat request the install took. `confirming` is held by the one
 * request carrying out a confirmation, so a second submit is refused while it runs. Reads (`decide`) never
 * write: a page render, which browsers may prefetch, changes nothing.
 */

export const ENDINGS = [
  "confirmed",
  "declined",
  "expired",
  "abandoned",
] as const satisfies PendingInstallState[];
const LIVE: PendingInstallState[] = ["started", "both_sides_known"];

export type InstallEvent =
  | { kind: "attach"; rackbeat: RackbeatSide }
  | { kind: "attach"; economic: EconomicSide }
  | { kind: "confirm" }
  | { kind: "complete"; reason?: string }
  | { kind: "decline" }
  | { kind: "abandon"; reason: string }
  | { kind: "expire" };
export type InstallEventKind = InstallEvent["kind"];

/** Which states each event leaves, and where it goes. Guards beyond the state are in `decide`. */
export const TRANSITIONS: Record<InstallEventKind, { from: PendingInstallState[]; to: PendingInstallState }> =
  {
    attach: { from: LIVE, to: "both_sides_known" },
    confirm: { from: LIVE, to: "confirming" },
    complete: { from: ["confirming"], to: "confirmed" },
    decline: { from: LIVE, to: "declined" },
    abandon: { from: [...LIVE, "confirming"], to: "abandoned" },
    expire: { from: [...LIVE, "confirming"], to: "expired" },
  };

/** Origins whose confirmation is e-conomic's approval itself, given in the browser that started them. */
const SELF_CONFIRMING: PendingInstallOrigin[] = ["signin", "reconnect"];

export type Decision =
  { ok: true; to: PendingInstallState } | { ok: false; refusal: InstallProblemCode; expire: boolean };

type Facts = Pick<PendingInstall, "state" | "origin" | "expiresAt" | "economicAgreementNumber">;

const refuse = (refusal: InstallProblemCode, expire = false): Decision => ({ ok: false, refusal, expire });

/** Whether `event` may happen to `pending` now, and where it leads. Pure: nothing is written. */
export function decide(pending: Facts, event: InstallEvent, now = new Date()): Decision {
  const rule = TRANSITIONS[event.kind];
  if (!rule.from.includes(pending.state))
    return refuse(
      isEnded(pending.state) || pending.state === "confirming" ? "already_completed" : "state_mismatch",
    );
  const overdue = pending.expiresAt.getTime() < now.getTime();
  if (event.kind === "expire") return overdue ? { ok: true, to: rule.to } : refuse("state_mismatch");
  // After its 30 minutes an install only expires, or completes what a confirmation already started.
  if (overdue && event.kind !== "complete") return refuse("expired", true);
  if (event.kind === "attach") {
    // Each path waits for one side: Rackbeat-first for e-conomic's approval, e-conomic-first for Rackbeat.
    const wanted =
      pending.origin === "rackbeat_first"
        ? "economic"
        : pending.origin === "economic_first"
          ? "rackbeat"
          : null;
    if (!wanted || !(wanted in event)) return refuse("state_mismatch");
  }
  if (
    event.kind === "confirm" &&
    pending.state === "started" &&
    !(SELF_CONFIRMING.includes(pending.origin) && pending.economicAgreementNumber === null)
  )
    return refuse("state_mismatch");
  return { ok: true, to: rule.to };
}

export const isEnded = (state: PendingInstallState) => (ENDINGS as readonly string[]).includes(state);

/** An install in progress this browser may still add a Rackbeat side to (the connect page, the API key). */
export const awaitsRackbeat = (pending: PendingInstall | undefined): pending is PendingInstall =>
  Boolean(pending && pending.economicAgreementNumber !== null && decide(pending, ATTACH_RACKBEAT).ok);
const ATTACH_RACKBEAT = { kind: "attach", rackbeat: {} as RackbeatSide } as const;

/** An install that may be confirmed now (the confirmation page shows it). */
export const awaitsConfirmation = (pending: PendingInstall | undefined): pending is PendingInstall =>
  Boolean(pending && pending.state === "both_sides_known" && decide(pending, { kind: "confirm" }).ok);

export type Advance = { ok: true; pending: PendingInstall } | { ok: false; problem: InstallProblem };

/**
 * Applies `event`: the row moves only from the state it was read in (a request racing this one gets
 * "already completed"). An event refused for lateness records the expiry on the way.
 */
export async function advance(pending: PendingInstall, event: InstallEvent): Promise<Advance> {
  const decision = decide(pending, event);
  if (!decision.ok) return { ok: false, problem: await refused(pending, event, decision) };
  const ending = isEnded(decision.to);
  const db = await getDb();
  const [moved] = await db
    .update(schema.pendingInstalls)
    .set({
      state: decision.to,
      ...(event.kind === "attach"
        ? "rackbeat" in event
          ? rackbeatColumns(event.rackbeat)
          : economicColumns(event.economic)
        : {}),
      ...(ending ? { endedAt: new Date(), endReason: reasonOf(event) } : {}),
    })
    .where(and(eq(schema.pendingInstalls.id, pending.id), eq(schema.pendingInstalls.state, pending.state)))
    .returning();
  if (!moved) return { ok: false, problem: new InstallProblem("already_completed", { event: event.kind }) };
  if (ending && decision.to !== "confirmed") await giveBackRackbeatRequest(rackbeatSideOf(moved));
  return { ok: true, pending: moved };
}

/**
 * Why `event` may not happen now, asked before work that costs a call. Undefined: it may.
 */
export async function refusal(
  pending: PendingInstall,
  event: InstallEvent,
): Promise<InstallProblem | undefined> {
  const decision = decide(pending, event);
  return decision.ok ? undefined : refused(pending, event, decision);
}

/** A refusal as a problem; an install past its 30 minutes is recorded as expired on the way. */
async function refused(
  pending: PendingInstall,
  event: InstallEvent,
  decision: Extract<Decision, { ok: false }>,
): Promise<InstallProblem> {
  if (decision.expire) await advance(pending, { kind: "expire" });
  return new InstallProblem(decision.refusal, { state: pending.state, event: event.kind });
}

const reasonOf = (event: InstallEvent): string =>
  event.kind === "abandon" || (event.kind === "complete" && event.reason) ? event.reason! : event.kind;

/**
 * Starts a pending install and returns the state value for the browser's cookie (stored hashed). The
 * first state follows from the sides already known. One address may hold a few live ones at a time.
 */
export async function startPendingInstall(values: {
  origin: PendingInstallOrigin;
  clientKey: string;
  installationId?: string;
  rackbeat?: RackbeatSide;
  economic?: EconomicSide;
}): Promise<{ state: string; pending: PendingInstall }> {
  const db = await getDb();
  const p = schema.pendingInstalls;
  const [live] = await db
    .select({ n: count() })
    .from(p)
    .where(and(eq(p.clientKey, values.clientKey), inArray(p.state, LIVE), gt(p.expiresAt, new Date())));
  if (live.n >= MAX_LIVE_PENDING_PER_CLIENT) throw new TooManyPendingInstalls();
  const state = randomToken();
  const [pending] = await db
    .insert(schema.pendingInstalls)
    .values({
      stateHash: sha256(state),
      origin: values.origin,
      clientKey: values.clientKey,
      installationId: values.installationId,
      state: firstState(values),
      ...rackbeatColumns(values.rackbeat),
      ...economicColumns(values.economic),
      expiresAt: new Date(Date.now() + PENDING_INSTALL_TTL_MS),
    })
    .returning();
  return { state, pending };
}

/** A sign-in approved without a state cookie knows both its sides (the agreement and its installations). */
export const firstState = (values: {
  origin: PendingInstallOrigin;
  rackbeat?: unknown;
  economic?: unknown;
}) =>
  (values.origin === "signin" && values.economic) || (values.rackbeat && values.economic)
    ? ("both_sides_known" as const)
    : ("started" as const);

export class TooManyPendingInstalls extends Error {}

/**
 * Installs nobody finished: moved to expired a few at a time (skipping rows another sweep holds), each
 * giving back the Rackbeat request it took.
 */
export async function expireOverdue(limit = 20): Promise<PendingInstall[]> {
  const db = await getDb();
  const p = schema.pendingInstalls;
  const due = db
    .select({ id: p.id })
    .from(p)
    .where(and(inArray(p.state, TRANSITIONS.expire.from), lt(p.expiresAt, new Date())))
    .limit(limit)
    .for("update", { skipLocked: true });
  const expired = await db
    .update(schema.pendingInstalls)
    .set({ state: "expired", endedAt: new Date(), endReason: "expire" })
    .where(and(inArray(p.id, due), inArray(p.state, TRANSITIONS.expire.from)))
    .returning();
  for (const pending of expired) await giveBackRackbeatRequest(rackbeatSideOf(pending));
  return expired;
}

/**
 * Gives Rackbeat back a request an install took and did not complete — never one whose account has a
 * live installation (cancelling an accepted request undoes the app for the whole account).
 */
export async function giveBackRackbeatRequest(side: RackbeatSide | undefined): Promise<void> {
  if (side?.kind !== "integration" || !side.requestToken) return;
  const installed = await findByRackbeatAccount(side.account.id);
  if (installed && installed.status !== "uninstalled") {
    logger().info({ event: "install.cancel_skipped", rackbeatAccount: side.account.id });
    return;
  }
  await cancelIntegration(side.requestToken).catch(loggedAndIgnored("install.rackbeat_cancel_failed"));
}
