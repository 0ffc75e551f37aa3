import path from "node:path";
import { describe, expect, it } from "vitest";
import { linesMatching, sources } from "@/tests/helpers/owner";

/**
 * One owner for the outbox: the queue core (lib/transfers/queue/) is the only code that writes the
 * `transfers` table, through drizzle or in SQL. Everything else asks it (enqueue, claim, finish,
 * requeue, cancel, recordReference), so nobody needs to read more than the core to know how a transfer
 * moves from queued to done.
 */
const CORE = path.join("lib", "transfers", "queue");
const WRITES = [
  /\.(update|insert|delete)\(\s*(schema\.)?transfers\s*\)/,
  /\b(update|insert\s+into|delete\s+from)\s+"?transfers"?(\s|$)/i,
];

const writesIn = (file: string) => linesMatching(file, WRITES);

describe("the queue core owns the transfers table", () => {
  const files = sources("lib", "app", "scripts");

  it("no module outside lib/transfers/queue/ writes transfers", () => {
    const outside = files.filter((f) => !f.startsWith(CORE)).flatMap(writesIn);
    expect(outside).toEqual([]);
  });

  it("the check sees the core's own writes (so it can fail)", () => {
    const inside = files.filter((f) => f.startsWith(CORE)).flatMap(writesIn);
    // enqueue's insert, requeue/cancel/recordReference's updates, finish's and claim's SQL.
    expect(inside.length).toBeGreaterThanOrEqual(6);
    expect(inside.some((l) => l.includes("enqueue.ts"))).toBe(true);
    expect(inside.some((l) => l.includes("finish.ts"))).toBe(true);
    expect(inside.some((l) => l.includes("claim.ts"))).toBe(true);
  });
});

describe("kinds that run while an installation is paused", () => {
  it("are the ones the claim's own index covers (db/vocabulary.ts), no more and no fewer", async () => {
    const { WHILE_PAUSED_KINDS: registered } = await import("@/lib/transfers/registry");
    const { WHILE_PAUSED_KINDS: indexed } = await import("@/db/vocabulary");
    expect([...registered].sort()).toEqual([...indexed].sort());
    expect(registered.length).toBeGreaterThan(0);
  });
});
