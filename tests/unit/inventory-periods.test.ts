import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  closesAt,
  inventoryVoucherText,
  isPeriodEnd,
  lastClosedPeriod,
  localDate,
  periodsBetween,
  startOfLocalDay,
} from "@/lib/transfers/inventory/periods";
import { valuationOre } from "@/lib/transfers/kinds/inventory-value";

const at = (iso: string) => new Date(iso);

describe("inventory value periods (Europe/Copenhagen)", () => {
  it("a local day starts at 23:00 UTC in winter and 22:00 UTC in summer", () => {
    expect(startOfLocalDay("2026-01-15").toISOString()).toBe("2026-01-14T23:00:00.000Z");
    expect(startOfLocalDay("2026-07-15").toISOString()).toBe("2026-07-14T22:00:00.000Z");
  });
  it("the DST switch days have 23 and 25 hours, and periods follow the local calendar", () => {
    // 2026: summer time starts Sunday 29 March, ends Sunday 25 October.
    const hours = (d: string) => (closesAt(d).getTime() - startOfLocalDay(d).getTime()) / 3_600_000;
    expect(hours("2026-03-29")).toBe(23);
    expect(hours("2026-10-25")).toBe(25);
    expect(hours("2026-10-26")).toBe(24);
    expect(closesAt("2026-03-28").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(closesAt("2026-03-29").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(closesAt("2026-10-25").toISOString()).toBe("2026-10-25T23:00:00.000Z");
  });
  it("daily: the period is yesterday, local, until local midnight passes", () => {
    // 22:59:59 UTC on 29 March is 00:59:59 local on the 30th (summer time): the 29th has closed.
    expect(lastClosedPeriod(at("2026-03-29T22:00:00Z"), "daily")).toBe("2026-03-29");
    expect(lastClosedPeriod(at("2026-03-29T21:59:59Z"), "daily")).toBe("2026-03-28");
    // 25 October: clocks go back; the day closes at 23:00 UTC.
    expect(lastClosedPeriod(at("2026-10-25T22:59:59Z"), "daily")).toBe("2026-10-24");
    expect(lastClosedPeriod(at("2026-10-25T23:00:00Z"), "daily")).toBe("2026-10-25");
  });
  it("weekly: periods end on Sundays, also the Sunday the clocks change", () => {
    expect(isPeriodEnd("2026-11-29", "weekly")).toBe(true);
    expect(isPeriodEnd("2026-11-28", "weekly")).toBe(false);
    expect(lastClosedPeriod(at("2026-11-27T12:00:00Z"), "weekly")).toBe("2026-11-22");
    expect(lastClosedPeriod(at("2026-10-25T23:00:00Z"), "weekly")).toBe("2026-10-25");
    expect(lastClosedPeriod(at("2026-10-25T22:59:00Z"), "weekly")).toBe("2026-10-18");
  });
  it("monthly: the last day of each month, February in leap years, across the year end", () => {
    expect(isPeriodEnd("2028-02-29", "monthly")).toBe(true);
    expect(isPeriodEnd("2027-02-28", "monthly")).toBe(true);
    expect(isPeriodEnd("2028-02-28", "monthly")).toBe(false);
    expect(isPeriodEnd("2026-04-30", "monthly")).toBe(true);
    expect(isPeriodEnd("2026-12-31", "monthly")).toBe(true);
    // New Year's night: 23:00 UTC on 31 December is midnight in Copenhagen.
    expect(lastClosedPeriod(at("2026-12-31T22:59:59Z"), "monthly")).toBe("2026-11-30");
    expect(lastClosedPeriod(at("2026-12-31T23:00:00Z"), "monthly")).toBe("2026-12-31");
    expect(lastClosedPeriod(at("2027-01-15T10:00:00Z"), "daily")).toBe("2027-01-14");
  });
  it("names the period in the voucher text", () => {
    expect(inventoryVoucherText("2026-11-29", "daily")).toBe("Rackbeat Justering 2026-11-29");
    expect(inventoryVoucherText("2026-11-29", "weekly")).toBe("Rackbeat Justering 2026-W48");
    expect(inventoryVoucherText("2027-01-03", "weekly")).toBe("Rackbeat Justering 2026-W53");
    expect(inventoryVoucherText("2026-11-30", "monthly")).toBe("Rackbeat Justering 2026-11");
  });
  it("counts the periods a late posting catches up", () => {
    expect(periodsBetween("2026-11-25", "2026-11-29", "daily")).toBe(3);
    expect(periodsBetween("2026-08-31", "2026-11-30", "monthly")).toBe(2);
    expect(periodsBetween("2026-11-28", "2026-11-29", "daily")).toBe(0);
  });
  it("for any instant: the last closed period has closed, is a period end, and the next one has not closed", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2020-01-01"), max: new Date("2035-12-31"), noInvalidDate: true }),
        fc.constantFrom("daily", "weekly", "monthly" as const),
        (now, frequency) => {
          const period = lastClosedPeriod(now, frequency);
          expect(isPeriodEnd(period, frequency)).toBe(true);
          expect(closesAt(period).getTime()).toBeLessThanOrEqual(now.getTime());
          let next = addDays(period, 1);
          while (!isPeriodEnd(next, frequency)) next = addDays(next, 1);
          expect(closesAt(next).getTime()).toBeGreaterThan(now.getTime());
          expect(localDate(startOfLocalDay(period))).toBe(period);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("reading Rackbeat's valuation answer", () => {
  it("takes the total from the guessed fields, at the top or under data, as a number or numeric string", () => {
    expect(valuationOre({ total_value: 1234.56 })).toBe(123456n);
    expect(valuationOre({ total_value: "1234.565" })).toBe(123457n);
    expect(valuationOre({ data: { total: "-10" } })).toBe(-1000n);
    expect(valuationOre({ value: 0 })).toBe(0n);
  });
  it("recognises nothing else: no value is ever a zero or a guess", () => {
    for (const answer of [
      {},
      null,
      "1000",
      { total_value: "about 1000" },
      { total_value: null },
      { total_value: Number.NaN },
      { totals: 5 },
      { data: [] },
    ])
      expect(valuationOre(answer)).toBeUndefined();
  });
});
