import { decimal, roundDiv } from "@/lib/money";

/** An e-conomic VAT code as `/vat-accounts` describes it (_vat-accounts.md). */
export type VatCode = {
  vatCode: string;
  ratePercentage: number;
  /**
   * Present on codes whose VAT the buyer accounts for itself (EU acquisition, reverse charge): e-conomic
   * posts the VAT to `account` and the same amount back on `contraAccount`, so the supplier is owed the
   * net only.
   */
  contraAccount?: { accountNumber: number };
};

/** One expense account of a supplier invoice: the net of its lines and the VAT code the account carries. */
export type AccountShare = { account: string; netOre: bigint; vat?: VatCode };

/** What one supplier-invoice entry posts: the supplier's amount for this account and the input VAT in it. */
export type EntryAmounts = {
  account: string;
  grossOre: bigint;
  /** Input VAT stated on the entry (`contraVatAmount`); undefined for no VAT code or a reverse charge. */
  vatOre?: bigint;
  vatCode?: string;
};

export type VatSplit =
  { ok: true; entries: EntryAmounts[] } | { ok: false; rackbeatVatOre: bigint; economicVatOre: bigint };

const vatOf = (netOre: bigint, ratePercentage: number) => {
  const rate = decimal(ratePercentage);
  return roundDiv(netOre * rate.mantissa, 100n * 10n ** BigInt(rate.scale));
};

/**
 * A supplier invoice spread over expense accounts with their own VAT rates. e-conomic reads an entry's
 * amount as VAT-inclusive and takes the VAT out at its code's rate, so one gross split by net share would
 * put 25 % goods' VAT on VAT-free freight and misstate købsmoms while the total still matched. Instead
 * each entry carries its account's net plus that account's own VAT, and the VAT is stated on the entry
 * (`contraVatAmount`) so that e-conomic's rounding cannot move an øre. A reverse-charge code adds nothing
 * to what the supplier is owed.
 *
 * Rackbeat's totals decide: the øre that per-account rounding differs from Rackbeat's net and VAT go on
 * the largest entry (net) and the largest VAT (VAT), so the voucher totals Rackbeat's gross and its VAT
 * Rackbeat's VAT exactly. A difference larger than rounding can explain means the chosen accounts' VAT
 * codes do not describe this invoice: refused, never posted with the wrong VAT.
 */
export function splitSupplierInvoice(
  shares: AccountShare[],
  rackbeat: { subtotalOre: bigint; totalOre: bigint },
  tolerance: { lines: number },
): VatSplit {
  const entries: EntryAmounts[] = shares.map((s) => {
    const charged = s.vat && !s.vat.contraAccount && s.vat.ratePercentage !== 0;
    const vatOre = charged ? vatOf(s.netOre, s.vat!.ratePercentage) : undefined;
    return {
      account: s.account,
      grossOre: s.netOre + (vatOre ?? 0n),
      ...(vatOre !== undefined ? { vatOre } : {}),
      ...(s.vat ? { vatCode: s.vat.vatCode } : {}),
    };
  });
  const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
  const netOre = sum(shares.map((s) => s.netOre));
  const economicVatOre = sum(entries.map((e) => e.vatOre ?? 0n));
  const rackbeatVatOre = rackbeat.totalOre - rackbeat.subtotalOre;
  const netDiff = rackbeat.subtotalOre - netOre;
  const vatDiff = rackbeatVatOre - economicVatOre;
  // Each line's net and each account's VAT round by at most half an øre.
  const slack = BigInt(tolerance.lines + shares.length);
  const abs = (n: bigint) => (n < 0n ? -n : n);
  const withVat = entries.filter((e) => e.vatOre !== undefined);
  if (abs(netDiff) > slack || abs(vatDiff) > slack || (vatDiff !== 0n && !withVat.length))
    return { ok: false, rackbeatVatOre, economicVatOre };
  if (entries.length) {
    const largest = (xs: EntryAmounts[], by: (e: EntryAmounts) => bigint) =>
      xs.reduce((best, e) => (abs(by(e)) > abs(by(best)) ? e : best));
    largest(entries, (e) => e.grossOre).grossOre += netDiff;
    if (vatDiff !== 0n) {
      const target = largest(withVat, (e) => e.vatOre!);
      target.vatOre! += vatDiff;
      target.grossOre += vatDiff;
    }
  }
  return { ok: true, entries };
}
