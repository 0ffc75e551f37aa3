import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  PENDING_INSTALL_ORIGINS,
  PENDING_INSTALL_STATES,
  type PendingInstallOrigin,
  type PendingInstallState,
} from "@/db/vocabulary";
import { decide, firstState, type InstallEvent } from "@/lib/installations/install-state";
import type { EconomicSide, RackbeatSide } from "@/lib/installations/pending";
import { linesMatching, sources } from "@/tests/helpers/owner";

/*
 * Every state × every event × every origin × before/after the 30 minutes, against the diagram in the
 * README ("The pending install"), written out here on its own so that a wrong rule in the module fails.
 */
const NOW = new Date("2026-12-06T10:00:00Z");
const LIVE_UNTIL = new Date(NOW.getTime() + 60_000);
const OVERDUE = new Date(NOW.getTime() - 1);

const EVENTS: InstallEvent[] = [
  { kind: "attach", rackbeat: {} as RackbeatSide },
  { kind: "attach", economic: {} as EconomicSide },
  { kind: "confirm" },
  { kind: "complete" },
  { kind: "decline" },
  { kind: "abandon", reason: "test" },
  { kind: "expire" },
];
const ENDED: PendingInstallState[] = ["confirmed", "declined", "expired", "abandoned"];
const nameOf = (e: InstallEvent) =>
  e.kind === "attach" ? `attach ${"rackbeat" in e ? "rackbeat" : "economic"}` : e.kind;

type Expected = PendingInstallState | `refused: ${string}`;

/** The diagram, as a bookkeeper of states would read it. */
function expected(
  state: PendingInstallState,
  origin: PendingInstallOrigin,
  economicKnown: boolean,
  overdue: boolean,
  event: InstallEvent,
): Expected {
  if (ENDED.includes(state)) return "refused: already_completed";
  if (state === "confirming") {
    switch (event.kind) {
      case "complete":
        return "confirmed";
      case "expire":
        return overdue ? "expired" : "refused: state_mismatch";
      case "abandon":
        return overdue ? "refused: expired (expires)" : "abandoned";
      default:
        return "refused: already_completed";
    }
  }
  // started, both_sides_known
  if (event.kind === "complete") return "refused: state_mismatch";
  if (event.kind === "expire") return overdue ? "expired" : "refused: state_mismatch";
  if (overdue) return "refused: expired (expires)";
  switch (event.kind) {
    case "decline":
      return "declined";
    case "abandon":
      return "abandoned";
    case "attach": {
      const fits =
        (origin === "rackbeat_first" && "economic" in event) ||
        (origin === "economic_first" && "rackbeat" in event);
      return fits ? "both_sides_known" : "refused: state_mismatch";
    }
    case "confirm": {
      if (state === "both_sides_known") return "confirming";
      const selfConfirming = (origin === "signin" || origin === "reconnect") && !economicKnown;
      return selfConfirming ? "confirming" : "refused: state_mismatch";
    }
  }
}

describe("the pending install's state machine", () => {
  const cases = PENDING_INSTALL_STATES.flatMap((state) =>
    PENDING_INSTALL_ORIGINS.flatMap((origin) =>
      [false, true].flatMap((economicKnown) =>
        [false, true].flatMap((overdue) =>
          EVENTS.map((event) => ({ state, origin, economicKnown, overdue, event })),
        ),
      ),
    ),
  );

  it(`walks every transition and every refusal (${cases.length} cases)`, () => {
    const wrong = cases.flatMap(({ state, origin, economicKnown, overdue, event }) => {
      const decision = decide(
        {
          state,
          origin,
          expiresAt: overdue ? OVERDUE : LIVE_UNTIL,
          economicAgreementNumber: economicKnown ? 700001 : null,
        },
        event,
        NOW,
      );
      const got: Expected = decision.ok
        ? decision.to
        : `refused: ${decision.refusal}${decision.expire ? " (expires)" : ""}`;
      const want = expected(state, origin, economicKnown, overdue, event);
      return got === want
        ? []
        : [
            `${state}/${origin}/${economicKnown ? "e-conomic known" : "-"}/${overdue ? "overdue" : "live"} + ${nameOf(event)}: got ${got}, want ${want}`,
          ];
    });
    expect(wrong).toEqual([]);
  });

  it("reaches every state from `started`, and leaves no ending", () => {
    const reached = new Set<PendingInstallState>(["started"]);
    for (let grew = true; grew;) {
      grew = false;
      for (const c of cases) {
        if (!reached.has(c.state)) continue;
        const d = decide(
          {
            state: c.state,
            origin: c.origin,
            expiresAt: c.overdue ? OVERDUE : LIVE_UNTIL,
            economicAgreementNumber: c.economicKnown ? 1 : null,
          },
          c.event,
          NOW,
        );
        if (d.ok && !reached.has(d.to)) {
          reached.add(d.to);
          grew = true;
        }
        if (d.ok && ENDED.includes(c.state)) throw new Error(`${c.state} left by ${nameOf(c.event)}`);
      }
    }
    expect([...reached].sort()).toEqual([...PENDING_INSTALL_STATES].sort());
  });

  it("starts where the sides known put it", () => {
    expect(firstState({ origin: "rackbeat_first", rackbeat: {} })).toBe("started");
    expect(firstState({ origin: "economic_first", economic: {} })).toBe("started");
    expect(firstState({ origin: "signin", economic: {} })).toBe("both_sides_known");
    expect(firstState({ origin: "signin" })).toBe("started");
    expect(firstState({ origin: "reconnect" })).toBe("started");
    expect(firstState({ origin: "rackbeat_first", rackbeat: {}, economic: {} })).toBe("both_sides_known");
  });
});

/** One owner: nothing but install-state.ts creates pending installs or changes their state. */
const OWNER = path.join("lib", "installations", "install-state.ts");
const WRITES = [
  /\.(update|insert)\(\s*(schema\.)?pendingInstalls\s*\)/,
  /\b(update|insert\s+into)\s+"?pending_installs"?/i,
];
const writesIn = (file: string) => linesMatching(file, WRITES);

describe("install-state.ts owns the pending_installs table's states", () => {
  const files = sources("lib", "app", "scripts");
  it("no other module creates a pending install or changes one", () => {
    expect(files.filter((f) => f !== OWNER).flatMap(writesIn)).toEqual([]);
  });
  it("the check sees the owner's own writes (so it can fail)", () => {
    expect(writesIn(OWNER).length).toBe(3);
  });
});
