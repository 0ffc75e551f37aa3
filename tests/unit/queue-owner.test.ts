import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * One owner for the outbox: the queue core (lib/transfers/queue/) is the only code that writes the
 * `transfers` table, through drizzle or in SQL. Everything else asks it (enqueue, claim, finish,
 * requeue, cancel, recordReference), so nobody needs to read more than the core to know how a transfer
 * moves from queued to done.
 */
const ROOT = path.resolve(__dirname, "../..");
const CORE = path.join("lib", "transfers", "queue");
const WRITES = [
  /\.(update|insert|delete)\(\s*(schema\.)?transfers\s*\)/,
  /\b(update|insert\s+into|delete\s+from)\s+"?transfers"?(\s|$)/i,
];

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const relative = path.join(dir, name);
    if (statSync(path.join(ROOT, relative)).isDirectory()) return sources(relative);
    return /\.(ts|tsx)$/.test(name) ? [relative] : [];
  });
}
const writesIn = (file: string) =>
  readFileSync(path.join(ROOT, file), "utf8")
    .split("\n")
    .flatMap((line, i) => (WRITES.some((w) => w.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : []));

describe("the queue core owns the transfers table", () => {
  const files = ["lib", "app", "scripts"].flatMap(sources);

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
