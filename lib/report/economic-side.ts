import { eqFilter, filterValue } from "@/lib/economic/filter";
import type { EconomicClient } from "@/lib/economic/client";
import { encodeProductNumber } from "@/lib/economic/product-number";
import { roundDiv, toOre } from "@/lib/money";
import type { VatCode } from "@/lib/transfers/mapping/supplier-vat";
import { INVENTORY_TEXT_PREFIX } from "@/lib/transfers/inventory/periods";
import { SUPPLIER_INVOICE_TEXT_PREFIX } from "@/lib/transfers/kinds/supplier-invoice";
import type { ReportPeriod } from "./period";
import type { EconomicDocument } from "./types";

/** How many marks one `$or` filter asks for: keeps the URL well inside any server's limit. */
const MARKS_PER_QUERY = 25;

type Invoice = {
  bookedInvoiceNumber?: number;
  draftInvoiceNumber?: number;
  date: string;
  currency: string;
  netAmount: number;
  vatAmount: number;
  grossAmount: number;
  references?: { other?: string };
  recipient?: { name?: string };
};

const INVOICE_MARK = /^rackbeat-invoice:(.+)$/;

function invoiceDocument(i: Invoice, state: "booked" | "draft"): EconomicDocument {
  const source = INVOICE_MARK.exec(i.references?.other ?? "")?.[1];
  return {
    kind: "customer_invoice",
    reference: state === "booked" ? `booked:${i.bookedInvoiceNumber}` : `draft:${i.draftInvoiceNumber}`,
    date: i.date.slice(0, 10),
    state,
    currency: i.currency,
    netOre: toOre(i.netAmount),
    vatOre: toOre(i.vatAmount),
    grossOre: toOre(i.grossAmount),
    ...(source !== undefined ? { source } : {}),
    ...(i.recipient?.name ? { text: i.recipient.name } : {}),
  };
}

const dateRange = (p: ReportPeriod) => `date$gte:${p.from}$and:date$lte:${p.to}`;
const q = (filter: string) => `?filter=${encodeURIComponent(filter)}`;

/**
 * e-conomic's invoices dated in the period, booked and draft: two filtered lists, a page per 1,000
 * (`date` is filterable on both, _invoices.md).
 */
export async function invoicesInPeriod(economic: EconomicClient, period: ReportPeriod) {
  const booked = await economic.listAll<Invoice>(`/invoices/booked${q(dateRange(period))}`);
  const drafts = await economic.listAll<Invoice>(`/invoices/drafts${q(dateRange(period))}`);
  return [
    ...booked.map((i) => invoiceDocument(i, "booked")),
    ...drafts.map((i) => invoiceDocument(i, "draft")),
  ];
}

/** The invoices carrying these marks, whatever their date (`references.other` is filterable). */
export async function invoicesByMark(economic: EconomicClient, numbers: string[]) {
  const found: EconomicDocument[] = [];
  for (let i = 0; i < numbers.length; i += MARKS_PER_QUERY) {
    const filter = numbers
      .slice(i, i + MARKS_PER_QUERY)
      .map((n) => eqFilter("references.other", `rackbeat-invoice:${n}`))
      .join("$or:");
    found.push(
      ...(await economic.listAll<Invoice>(`/invoices/booked${q(filter)}`)).map((x) =>
        invoiceDocument(x, "booked"),
      ),
    );
    found.push(
      ...(await economic.listAll<Invoice>(`/invoices/drafts${q(filter)}`)).map((x) =>
        invoiceDocument(x, "draft"),
      ),
    );
  }
  return found;
}

type DayBookEntry = {
  journalEntryNumber: number;
  entryType: string;
  amount: number;
  date: string;
  text?: string;
  supplier?: { supplierNumber: number };
  currency?: { code?: string } | string;
  contraVatAccount?: { vatCode: string };
  contraVatAmount?: number;
  account?: { accountNumber: number };
  voucher: { voucherNumber: number; accountingYear?: { year: string } };
  journal?: { journalNumber: number };
};
type BookedEntry = {
  entryNumber: number;
  entryType: string;
  voucherNumber: number;
  date: string;
  amount: number;
  currency?: string;
  text?: string;
  account?: { accountNumber: number };
  supplier?: { supplierNumber: number };
};

/** What the voucher side needs to read amounts: VAT codes (rates, VAT accounts) and the inventory account. */
export type VoucherContext = {
  vatCodes: (VatCode & { account?: { accountNumber: number } })[];
  inventoryAccount?: string;
  /** The inventory period a voucher text names, if it is one of ours. */
  inventorySource: (text: string) => string | undefined;
  /** Read once per report: the day books, and the accounting years per reach. */
  journals?: Promise<{ journalNumber: number }[]>;
  years: Map<string, Promise<{ year: string }[]>>;
};

const currencyOf = (c: DayBookEntry["currency"]) => (typeof c === "string" ? c : (c?.code ?? "DKK"));
const SUPPLIER_MARK = new RegExp(`^${SUPPLIER_INVOICE_TEXT_PREFIX}(.+)$`);

/** Only what the report compares: supplier-invoice entries, and finance vouchers with our inventory text. */
const OURS = `(entryType$eq:supplierInvoice$or:text$like:${filterValue(INVENTORY_TEXT_PREFIX)}*)`;

/**
 * Vouchers still in a day book: one filtered read per day book (the journals list is one more call).
 * A supplier invoice's VAT is what the entries state (`contraVatAmount`), else what its VAT code's rate
 * takes out of the amount, as e-conomic does.
 */
export async function dayBookVouchers(economic: EconomicClient, extra: string, ctx: VoucherContext) {
  ctx.journals ??= economic.listAll<{ journalNumber: number }>("/journals");
  const journals = await ctx.journals;
  const groups = new Map<string, DayBookEntry[]>();
  for (const j of journals) {
    const entries = await economic.listAll<DayBookEntry>(`/journals/${j.journalNumber}/entries${q(extra)}`);
    for (const e of entries) {
      const key = `${j.journalNumber}:${e.voucher.accountingYear?.year ?? ""}:${e.voucher.voucherNumber}`;
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
  }
  const documents: EconomicDocument[] = [];
  for (const entries of groups.values()) {
    const first = entries[0];
    const reference = `voucher:${first.voucher.accountingYear?.year ?? ""}-${first.voucher.voucherNumber}`;
    const supplierEntries = entries.filter((e) => e.entryType === "supplierInvoice");
    if (supplierEntries.length) {
      const grossOre = -supplierEntries.reduce((s, e) => s + toOre(e.amount), 0n);
      const vatOre = -supplierEntries.reduce((s, e) => {
        if (e.contraVatAmount !== undefined) return s + toOre(e.contraVatAmount);
        const code = ctx.vatCodes.find((v) => v.vatCode === e.contraVatAccount?.vatCode);
        if (!code || code.contraAccount || !code.ratePercentage) return s;
        const rate = BigInt(Math.round(code.ratePercentage * 100));
        return s + roundDiv(toOre(e.amount) * rate, 10_000n + rate);
      }, 0n);
      const source = SUPPLIER_MARK.exec(first.text ?? "")?.[1];
      documents.push({
        kind: "supplier_invoice",
        reference,
        date: first.date.slice(0, 10),
        state: "draft",
        currency: currencyOf(first.currency),
        grossOre,
        vatOre,
        netOre: grossOre - vatOre,
        ...(source !== undefined ? { source } : {}),
        ...(first.text ? { text: first.text } : {}),
      });
      continue;
    }
    const netOre = entries.reduce((s, e) => s + toOre(e.amount), 0n);
    const source = ctx.inventorySource(first.text ?? "");
    documents.push({
      kind: "inventory_value",
      reference,
      date: first.date.slice(0, 10),
      state: "draft",
      currency: currencyOf(first.currency),
      netOre,
      vatOre: 0n,
      grossOre: netOre,
      ...(source !== undefined ? { source } : {}),
      ...(first.text ? { text: first.text } : {}),
    });
  }
  return documents;
}

/**
 * Booked vouchers: the accounting years the period touches (one call), then each year's booked entries,
 * filtered. Booking splits a supplier invoice into the supplier's entry (the gross, negative), the
 * expense and the VAT account's entry; the VAT is what reached a VAT account of a code without a
 * reverse charge. An inventory posting debits the inventory account and credits the offset account.
 */
export async function bookedVouchers(
  economic: EconomicClient,
  period: ReportPeriod,
  extra: string,
  ctx: VoucherContext,
) {
  const reach = `fromDate$lte:${period.to}$and:toDate$gte:${period.from}`;
  if (!ctx.years.has(reach))
    ctx.years.set(reach, economic.listAll<{ year: string }>(`/accounting-years${q(reach)}`));
  const years = await ctx.years.get(reach)!;
  const vatAccounts = new Set(
    ctx.vatCodes.filter((v) => !v.contraAccount).map((v) => v.account?.accountNumber),
  );
  const documents: EconomicDocument[] = [];
  for (const { year } of years) {
    const entries = await economic.listAll<BookedEntry>(
      `/accounting-years/${encodeProductNumber(year)}/entries${q(extra)}`,
    );
    const vouchers = new Map<number, BookedEntry[]>();
    for (const e of entries) vouchers.set(e.voucherNumber, [...(vouchers.get(e.voucherNumber) ?? []), e]);
    for (const [voucherNumber, list] of vouchers) {
      list.sort((a, b) => a.entryNumber - b.entryNumber);
      const first = list[0];
      const base = {
        reference: `voucher:${year}-${voucherNumber}`,
        date: first.date.slice(0, 10),
        state: "booked" as const,
        currency: first.currency ?? "DKK",
        ...(first.text ? { text: first.text } : {}),
      };
      if (first.entryType === "supplierInvoice") {
        const grossOre = -list.filter((e) => e.supplier).reduce((s, e) => s + toOre(e.amount), 0n);
        const vatOre = list
          .filter((e) => !e.supplier && vatAccounts.has(e.account?.accountNumber))
          .reduce((s, e) => s + toOre(e.amount), 0n);
        const source = SUPPLIER_MARK.exec(first.text ?? "")?.[1];
        documents.push({
          kind: "supplier_invoice",
          ...base,
          grossOre,
          vatOre,
          netOre: grossOre - vatOre,
          ...(source !== undefined ? { source } : {}),
        });
        continue;
      }
      const onInventory =
        list.find((e) => String(e.account?.accountNumber) === ctx.inventoryAccount) ?? first;
      const netOre = toOre(onInventory.amount);
      const source = ctx.inventorySource(first.text ?? "");
      documents.push({
        kind: "inventory_value",
        ...base,
        netOre,
        vatOre: 0n,
        grossOre: netOre,
        ...(source !== undefined ? { source } : {}),
      });
    }
  }
  return documents;
}

/** The period's vouchers of both kinds, in day books and booked. */
export async function vouchersInPeriod(economic: EconomicClient, period: ReportPeriod, ctx: VoucherContext) {
  const filter = `${dateRange(period)}$and:${OURS}`;
  return [
    ...(await dayBookVouchers(economic, filter, ctx)),
    ...(await bookedVouchers(economic, period, filter, ctx)),
  ];
}

/**
 * Vouchers with these texts, whatever their date: a supplier invoice transferred but not found in the
 * period (moved to another date, or deleted). Years from the period's own reach.
 */
export async function vouchersByText(
  economic: EconomicClient,
  period: ReportPeriod,
  texts: string[],
  ctx: VoucherContext,
) {
  // A document moved to another date stays within a year or so of it.
  const wide = {
    from: `${Number(period.from.slice(0, 4)) - 1}-01-01`,
    to: `${Number(period.to.slice(0, 4)) + 1}-12-31`,
  };
  const found: EconomicDocument[] = [];
  for (let i = 0; i < texts.length; i += MARKS_PER_QUERY) {
    const filter = texts
      .slice(i, i + MARKS_PER_QUERY)
      .map((t) => eqFilter("text", t))
      .join("$or:");
    found.push(
      ...(await dayBookVouchers(economic, filter, ctx)),
      ...(await bookedVouchers(economic, wide, filter, ctx)),
    );
  }
  return found;
}
