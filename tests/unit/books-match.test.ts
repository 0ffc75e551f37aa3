import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decimalFromOre, reportCsv } from "@/lib/report/csv";
import { matchKind, totalsOf } from "@/lib/report/match";
import { monthOf, parsePeriod } from "@/lib/report/period";
import type { BooksMatchReport, EconomicDocument, RackbeatDocument } from "@/lib/report/types";

const period = { from: "2026-11-01", to: "2026-11-30" };
const amounts = (netOre: bigint, vatOre = netOre / 4n) => ({
  currency: "DKK",
  netOre,
  vatOre,
  grossOre: netOre + vatOre,
});
const rb = (number: string, date: string, net: bigint): RackbeatDocument => ({
  kind: "customer_invoice",
  number,
  date,
  ...amounts(net),
});
const ec = (
  reference: string,
  date: string,
  net: bigint,
  source?: string,
  state: "booked" | "draft" = "booked",
): EconomicDocument => ({
  kind: "customer_invoice",
  reference,
  date,
  state,
  ...amounts(net),
  ...(source ? { source } : {}),
});

describe("report period", () => {
  it("is this month by default, a whole month by name, and any dates in order", () => {
    expect(parsePeriod({}, new Date("2026-02-28T23:30:00Z"))).toEqual({
      ok: true,
      period: { from: "2026-03-01", to: "2026-03-31" },
    });
    expect(parsePeriod({ month: "2028-02" })).toEqual({
      ok: true,
      period: { from: "2028-02-01", to: "2028-02-29" },
    });
    expect(parsePeriod({ from: "2026-11-15", to: "2026-12-14" })).toEqual({
      ok: true,
      period: { from: "2026-11-15", to: "2026-12-14" },
    });
    expect(monthOf("2026-12-06")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
  });
  it("names the field of a wrong date", () => {
    expect(parsePeriod({ from: "2026-02-30", to: "2026-03-01" })).toEqual({
      ok: false,
      problem: { field: "from", code: "report.date_invalid" },
    });
    expect(parsePeriod({ from: "2026-03-01", to: "x" })).toMatchObject({
      ok: false,
      problem: { field: "to" },
    });
    expect(parsePeriod({ from: "2026-03-02", to: "2026-03-01" })).toMatchObject({
      ok: false,
      problem: { code: "report.period_reversed" },
    });
    expect(parsePeriod({ from: "2025-01-01", to: "2026-03-01" })).toMatchObject({
      ok: false,
      problem: { code: "report.period_too_long" },
    });
  });
});

describe("matching", () => {
  it("a second document with the same mark is named as posted twice", () => {
    const rows = matchKind({
      kind: "customer_invoice",
      period,
      rackbeat: [rb("1", "2026-11-02", 1000n)],
      economic: [ec("booked:1", "2026-11-02", 1000n, "1"), ec("booked:2", "2026-11-03", 1000n, "1")],
      transfers: new Map(),
      partOn: true,
    });
    expect(rows.map((r) => r.cause?.code)).toEqual([undefined, "twice_in_economic"]);
  });
  it("one øre apart is rounding; more is a change", () => {
    const rows = matchKind({
      kind: "customer_invoice",
      period,
      rackbeat: [rb("1", "2026-11-02", 1000n), rb("2", "2026-11-02", 1000n)],
      economic: [
        { ...ec("booked:1", "2026-11-02", 1000n, "1"), grossOre: 1251n },
        ec("booked:2", "2026-11-02", 1100n, "2"),
      ],
      transfers: new Map(),
      partOn: true,
    });
    expect(rows.map((r) => r.cause?.code)).toEqual(["rounding", "changed_in_economic"]);
  });
  it("the period's totals differ by exactly the rows' differences, to the øre", () => {
    const doc = fc.record({
      number: fc.integer({ min: 1, max: 40 }).map(String),
      day: fc.integer({ min: 20, max: 40 }),
      net: fc.bigInt({ min: -10_000_000n, max: 10_000_000n }),
      drift: fc.constantFrom(0n, 0n, 1n, 500n),
    });
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 30 }), fc.array(doc, { maxLength: 10 }), (docs, handMade) => {
        const date = (day: number) =>
          day <= 30
            ? `2026-11-${String(day).padStart(2, "0")}`
            : `2026-12-${String(day - 30).padStart(2, "0")}`;
        const unique = [...new Map(docs.map((d) => [d.number, d])).values()];
        const rows = matchKind({
          kind: "customer_invoice",
          period,
          rackbeat: unique.map((d) => rb(d.number, date(d.day), d.net)),
          economic: [
            ...unique
              .filter((d) => d.day % 3 !== 0)
              .map((d) =>
                ec(`booked:${d.number}`, date(d.day + (d.day % 5 === 0 ? 1 : 0)), d.net + d.drift, d.number),
              ),
            ...handMade.map((d, i) => ec(`booked:h${i}`, date(d.day), d.net)),
          ],
          transfers: new Map(),
          partOn: true,
        });
        const [total] = totalsOf(rows);
        const sum = rows.reduce((s, r) => s + r.difference.netOre, 0n);
        if (total) expect(total.difference.netOre).toBe(sum);
        // Every row with a difference in the period has a cause.
        for (const r of rows)
          if (r.difference.netOre !== 0n || r.difference.grossOre !== 0n) expect(r.cause).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });
});

describe("CSV", () => {
  it("keeps amounts exact, quotes what needs it, guards formulas, and speaks Danish Excel", () => {
    expect(decimalFromOre(-123_456n, ",")).toBe("-1234,56");
    expect(decimalFromOre(5n)).toBe("0.05");
    const report: BooksMatchReport = {
      period,
      rows: matchKind({
        kind: "customer_invoice",
        period,
        rackbeat: [rb("7", "2026-11-02", 123_456n)],
        economic: [ec("booked:9", "2026-11-03", 100n)],
        transfers: new Map(),
        partOn: true,
      }),
      totals: [],
      differences: 1,
      calls: { economic: 0, rackbeat: 0 },
      generatedAt: "2026-12-01T00:00:00Z",
    };
    const csv = reportCsv(
      report,
      {
        header: (c) => c,
        kind: () => "Faktura",
        rackbeat: (r) => (r.rackbeat ? `Faktura ${r.rackbeat.number}` : ""),
        economic: (r) => (r.economic ? `=HYPERLINK("x")` : ""),
        cause: (r) => (r.cause ? `Årsag; "${r.cause.code}"` : "Stemmer"),
        todo: () => "",
      },
      { separator: ";", decimalMark: "," },
    );
    const lines = csv
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(
      "Faktura 7;2026-11-02;;;DKK;1234,56;308,64;1543,20;;;;-1234,56;-308,64;-1543,20;",
    );
    expect(lines[2]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[2]).toContain(`"Årsag; ""only_in_economic"""`);
  });
});
