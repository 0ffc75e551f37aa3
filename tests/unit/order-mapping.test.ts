import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mapEconomicOrder, type EconomicOrderLine } from "@/lib/transfers/mapping/economic-order";
import { centsToNumber, lineNetCents } from "@/tests/emulators/economic/money";
import { lineTotalOre } from "@/tests/emulators/rackbeat/routes-orders";

/** A decimal with at most `places` places, as a bookkeeper types it. */
const decimal = (max: number, places: number) =>
  fc.integer({ min: 0, max: max * 10 ** places }).map((n) => Number((n / 10 ** places).toFixed(places)));

const line: fc.Arbitrary<EconomicOrderLine> = fc.oneof(
  // A product line.
  fc.record({
    product: fc.constantFrom("100", "200", "A/7").map((productNumber) => ({ productNumber })),
    description: fc.string({ maxLength: 30 }),
    quantity: decimal(500, 2).filter((q) => q > 0),
    unitNetPrice: decimal(20_000, 2),
    discountPercentage: decimal(100, 2),
  }),
  // A priced line without a product (the empty-line product takes it).
  fc.record({
    description: fc.string({ minLength: 1, maxLength: 30 }),
    quantity: decimal(50, 2).filter((q) => q > 0),
    unitNetPrice: decimal(5_000, 2).filter((p) => p > 0),
  }),
  // A text line.
  fc.record({ description: fc.string({ minLength: 1, maxLength: 30 }).filter((d) => d.trim() !== "") }),
);

describe("e-conomic order → Rackbeat order (property)", () => {
  it("the Rackbeat order's net equals e-conomic's to the øre, every priced line is carried, text goes to the note", () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (lines) => {
        // e-conomic's net, as the e-conomic emulator computes it (its own arithmetic, not the app's).
        const economicNet = lines.reduce(
          (sum, l) =>
            sum +
            (l.quantity ? lineNetCents(l.quantity, l.unitNetPrice ?? 0, l.discountPercentage ?? 0) : 0n),
          0n,
        );
        const mapped = mapEconomicOrder(
          {
            orderNumber: 9,
            date: "2026-12-04",
            currency: "DKK",
            customer: { customerNumber: 1 },
            netAmount: centsToNumber(economicNet),
            lines,
          },
          "PRODUKT",
        );
        const priced = lines.filter((l) => l.quantity);
        if (!priced.length) {
          expect(mapped).toMatchObject({ ok: false, failure: "only_text" });
          return;
        }
        if (!mapped.ok) throw new Error(JSON.stringify(mapped));
        // Rackbeat's net, as the Rackbeat emulator prices the lines it was sent.
        const rackbeatNet = mapped.body.lines.reduce(
          (sum, l) => sum + lineTotalOre(l.quantity, l.line_price, l.discount_percentage ?? 0),
          0n,
        );
        expect(rackbeatNet).toBe(economicNet);
        expect(mapped.body.lines).toHaveLength(priced.length);
        expect(mapped.emptyLines).toBe(priced.filter((l) => !l.product).length);
        expect(mapped.textLines).toBe(lines.length - priced.length);
        for (const l of mapped.body.lines) expect(l.child_id).toMatch(/^(100|200|A\/7|PRODUKT)$/);
      }),
      { numRuns: 500 },
    );
  });

  it("without an empty-line product a priced line without a product names the setting; with one it never fails", () => {
    const order = {
      orderNumber: 12,
      date: "2026-12-04",
      currency: "DKK",
      customer: { customerNumber: 1 },
      netAmount: 900,
      lines: [{ lineNumber: 1, description: "Montering", quantity: 2, unitNetPrice: 450 }],
    };
    expect(mapEconomicOrder(order, "")).toMatchObject({
      ok: false,
      message: {
        code: "transfer.order_empty_line_product_missing",
        params: { order: 12, line: 1, setting: "debtor" },
      },
    });
    expect(mapEconomicOrder(order, "PRODUKT")).toMatchObject({ ok: true });
  });

  it("refuses an order whose lines do not add up to e-conomic's net, rather than showing Rackbeat another total", () => {
    const mapped = mapEconomicOrder(
      {
        orderNumber: 13,
        date: "2026-12-04",
        currency: "DKK",
        customer: { customerNumber: 1 },
        netAmount: 100.01,
        lines: [{ product: { productNumber: "100" }, description: "x", quantity: 1, unitNetPrice: 100 }],
      },
      "PRODUKT",
    );
    expect(mapped).toMatchObject({ ok: false, failure: "totals_differ" });
  });
});
