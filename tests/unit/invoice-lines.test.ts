import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mapInvoiceLines, type RackbeatLine } from "@/lib/transfers/mapping/invoice-lines";
import { lineNetCents } from "@/tests/emulators/economic/money";
import { invoiceTotals } from "@/tests/emulators/rackbeat/seed";

/**
 * The two sides' arithmetic is each emulator's own (Rackbeat rounds once per invoice, e-conomic once per
 * line); the mapping must make e-conomic's sum equal Rackbeat's subtotal to the øre, whatever the prices.
 */
const decimals = (n: number) => (String(n).split(".")[1] ?? "").length;
const price = fc
  .tuple(fc.integer({ min: 0, max: 50_000_000 }), fc.integer({ min: 0, max: 6 }))
  .map(([units, scale]) => Number((units / 10 ** scale).toFixed(scale)));
const line = fc.record({
  child_id: fc.constantFrom("10001", "VVS/150", "EL 145"),
  name: fc.constantFrom("Skrue", "Rør, galvaniseret 22 mm"),
  quantity: fc.oneof(
    fc.integer({ min: -20, max: 500 }),
    fc.integer({ min: 1, max: 9999 }).map((n) => n / 100),
  ),
  line_price: price,
  discount_percentage: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 0, max: 10000 }).map((n) => n / 100),
  ),
});

/** Rackbeat's own subtotal of the lines (its emulator's arithmetic, rounded once at the invoice). */
const rackbeatSubtotal = (lines: RackbeatLine[]) =>
  invoiceTotals(
    lines.map((l) => ({ ...l, discount_percentage: l.discount_percentage ?? 0 })),
    25,
  ).total_subtotal;

function economicTotalOre(lines: ReturnType<typeof mapInvoiceLines>["lines"]) {
  return lines.reduce((s, l) => s + lineNetCents(l.quantity, l.unitNetPrice, l.discountPercentage ?? 0), 0n);
}

describe("invoice lines: Rackbeat → e-conomic", () => {
  it("gives e-conomic Rackbeat's subtotal to the øre, with two-decimal prices, for any lines", () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        (lines: RackbeatLine[], actual) => {
          const total_subtotal = rackbeatSubtotal(lines);
          const mapped = mapInvoiceLines(lines, total_subtotal, actual);
          expect(mapped.lines).toHaveLength(lines.length);
          for (const l of mapped.lines) expect(decimals(l.unitNetPrice)).toBeLessThanOrEqual(2);
          expect(economicTotalOre(mapped.lines)).toBe(BigInt(Math.round(total_subtotal * 100)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("keeps quantity, price and discount with 'use actual quantity' when the price has two decimals", () => {
    const lines = [
      { child_id: "10001", name: "Skrue", quantity: 3, line_price: 12.5, discount_percentage: 10 },
      { child_id: "10002", name: "Møtrik", quantity: 2, line_price: 4 },
    ];
    const mapped = mapInvoiceLines(lines, rackbeatSubtotal(lines), true);
    expect(mapped.reshaped).toEqual([]);
    expect(mapped.lines[0]).toEqual({
      lineNumber: 1,
      product: { productNumber: "10001" },
      description: "Skrue",
      quantity: 3,
      unitNetPrice: 12.5,
      discountPercentage: 10,
    });
  });

  it("sends a price with more decimals as one unit at its exact total, and says so", () => {
    const lines = [{ child_id: "10001", name: "Skrue", quantity: 3, line_price: 1.23456 }];
    const mapped = mapInvoiceLines(lines, rackbeatSubtotal(lines), true);
    expect(mapped.lines[0]).toMatchObject({
      quantity: 1,
      unitNetPrice: 3.7,
      description: "Skrue (3 × 1.23456)",
    });
    expect(mapped.reshaped).toEqual([{ line: 1, reason: "price_decimals" }]);
  });

  it("puts the øre that per-line rounding loses on the largest line, and says so", () => {
    // Each line is 0.5 øre: e-conomic would round both up (2 øre), Rackbeat rounds the sum (1 øre).
    const lines = [
      { child_id: "10001", name: "A", quantity: 1, line_price: 0.005 },
      { child_id: "10002", name: "B", quantity: 1, line_price: 0.005 },
    ];
    const mapped = mapInvoiceLines(lines, rackbeatSubtotal(lines), true);
    expect(economicTotalOre(mapped.lines)).toBe(1n);
    expect(mapped.reshaped.some((r) => r.difference === -0.01)).toBe(true);
  });

  it("without 'use actual quantity' every line is one unit at its total", () => {
    const lines = [{ child_id: "10001", name: "Skrue", quantity: 4, line_price: 2.5 }];
    const mapped = mapInvoiceLines(lines, rackbeatSubtotal(lines), false);
    expect(mapped.lines[0]).toMatchObject({ quantity: 1, unitNetPrice: 10 });
    expect(mapped.reshaped).toEqual([{ line: 1, reason: "total_only" }]);
  });
});
