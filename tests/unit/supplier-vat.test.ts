import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitSupplierInvoice, type VatCode } from "@/lib/transfers/mapping/supplier-vat";

const I25: VatCode = { vatCode: "I25", ratePercentage: 25 };
const IEUV: VatCode = { vatCode: "IEUV", ratePercentage: 25, contraAccount: { accountNumber: 6920 } };
const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);

describe("a supplier invoice over accounts with different VAT rates", () => {
  it("gives each account its own net plus its own VAT: 25 % goods, VAT-free freight, EU reverse charge", () => {
    // Rackbeat: goods 1 000,00 at 25 % (VAT 250,00), freight 99,99 without VAT, EU goods 400,00 reverse
    // charge (the supplier is owed the net). Total 1 749,99 of which VAT 250,00.
    const split = splitSupplierInvoice(
      [
        { account: "1310", netOre: 100_000n, vat: I25 },
        { account: "1345", netOre: 9_999n },
        { account: "1320", netOre: 40_000n, vat: IEUV },
      ],
      { subtotalOre: 149_999n, totalOre: 174_999n },
      { lines: 3 },
    );
    expect(split).toEqual({
      ok: true,
      entries: [
        { account: "1310", grossOre: 125_000n, vatOre: 25_000n, vatCode: "I25" },
        { account: "1345", grossOre: 9_999n },
        { account: "1320", grossOre: 40_000n, vatCode: "IEUV" },
      ],
    });
  });

  it("totals Rackbeat's gross and VAT to the øre, whatever the nets", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            netOre: fc.bigInt({ min: 1n, max: 50_000_000n }),
            vat: fc.constantFrom<VatCode | undefined>(I25, undefined, IEUV, {
              vatCode: "I12",
              ratePercentage: 12.5,
            }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        (accounts) => {
          const shares = accounts.map((a, i) => ({ account: String(1300 + i), ...a }));
          // Rackbeat rounds VAT once on the invoice; each account rounds on its own.
          const exactVat = shares.reduce(
            (s, a) =>
              a.vat && !a.vat.contraAccount ? s + (Number(a.netOre) * a.vat.ratePercentage) / 100 : s,
            0,
          );
          const subtotalOre = sum(shares.map((s) => s.netOre));
          const vatOre = BigInt(Math.round(exactVat));
          const split = splitSupplierInvoice(
            shares,
            { subtotalOre, totalOre: subtotalOre + vatOre },
            { lines: 5 },
          );
          expect(split.ok).toBe(true);
          if (!split.ok) return;
          expect(sum(split.entries.map((e) => e.grossOre))).toBe(subtotalOre + vatOre);
          expect(sum(split.entries.map((e) => e.vatOre ?? 0n))).toBe(vatOre);
          // Each account's VAT is its own rate on its own net, but for the rounding øre.
          split.entries.forEach((e, i) => {
            const own =
              shares[i].vat && !shares[i].vat!.contraAccount
                ? (Number(shares[i].netOre) * shares[i].vat!.ratePercentage) / 100
                : 0;
            expect(Math.abs(Number(e.vatOre ?? 0n) - own)).toBeLessThanOrEqual(shares.length + 1);
          });
        },
      ),
    );
  });

  it("refuses when the accounts' VAT codes cannot explain Rackbeat's VAT (goods at 25 % on a VAT-free account)", () => {
    expect(
      splitSupplierInvoice(
        [{ account: "1345", netOre: 100_000n }],
        { subtotalOre: 100_000n, totalOre: 125_000n },
        { lines: 1 },
      ),
    ).toEqual({ ok: false, rackbeatVatOre: 25_000n, economicVatOre: 0n });
    // An EU supplier charges no VAT; a domestic 25 % code on its account would invent 250,00 of købsmoms.
    expect(
      splitSupplierInvoice(
        [{ account: "1310", netOre: 100_000n, vat: I25 }],
        { subtotalOre: 100_000n, totalOre: 100_000n },
        { lines: 1 },
      ),
    ).toMatchObject({ ok: false });
  });
});
