import { Hono } from "hono";
import { collectionResponse } from "./collection";
import { type EconomicEnv, notFound, present, query } from "./context";
import { EconomicError } from "./errors";
import { decodeProductNumber, rawSegmentAfter } from "./product-number";
import type { Agreement, BookedEntry } from "./seed";

type Obj = Record<string, unknown>;
type DraftEntry = Agreement["entries"][number] & {
  accountingYear?: string;
  date: string;
  text?: string;
  accountNumber?: number;
  contraAccountNumber?: number;
  supplierNumber?: number;
  customerNumber?: number;
  supplierInvoiceNumber?: string;
  dueDate?: string;
  currency?: string;
  contraVatCode?: string;
  contraVatAmount?: number;
  vatCode?: string;
  vatAmount?: number;
};

const toOre = (n: number) => Math.round(n * 100);
const fromOre = (n: number) => n / 100;
/** Half away from zero, on whole øre. */
const roundDiv = (n: number, d: number) => Math.sign(n) * Math.round(Math.abs(n) / d);

/**
 * The VAT in an entry's amount for a VAT code, as e-conomic computes it when none is stated: the amount
 * is VAT-inclusive and the VAT comes out at the code's rate (economic-constraints.md, "VAT on
 * supplier-invoice entries", from a production integration; slate is silent). A reverse-charge code (one
 * with a `contraAccount`, _vat-accounts.md) adds its VAT on top of the amount instead: the supplier is
 * owed the net, the buyer posts the VAT both ways.
 */
export function vatInAmount(a: Agreement, vatCode: string | undefined, amount: number): number | undefined {
  if (!vatCode) return undefined;
  const code = a.vatAccounts.find((v) => v.vatCode === vatCode) as
    { ratePercentage: number; contraAccount?: { accountNumber: number } } | undefined;
  if (!code || !code.ratePercentage) return 0;
  const ore = toOre(amount);
  const rateBp = Math.round(code.ratePercentage * 100); // basis points of a percent
  const vat = code.contraAccount ? roundDiv(ore * rateBp, 10_000) : roundDiv(ore * rateBp, 10_000 + rateBp);
  return fromOre(vat);
}

/** The VAT accounts a code posts to: its `account`, and for a reverse charge its `contraAccount`. */
function vatAccountsOf(a: Agreement, vatCode: string) {
  const code = a.vatAccounts.find((v) => v.vatCode === vatCode) as
    { account: { accountNumber: number }; contraAccount?: { accountNumber: number } } | undefined;
  return code;
}

/**
 * Books draft entries: each leaves its day book for the accounting year's entries, as one posting per
 * account (the supplier's or customer's collective account, the contra account net of VAT, the VAT
 * account), under a voucher number given at booking (economic-constraints.md: entries leave the day book
 * "until the journal is booked", and voucher numbers change). Balances follow.
 */
export function bookEntries(a: Agreement, entryNumbers: number[]): BookedEntry[] {
  const booked: BookedEntry[] = [];
  const voucherMap = new Map<string, number>();
  for (const n of entryNumbers) {
    const i = a.entries.findIndex((e) => e.entryNumber === n);
    if (i < 0) continue;
    const [entry] = a.entries.splice(i, 1) as DraftEntry[];
    const year =
      entry.accountingYear ??
      a.accountingYears.find((y) => y.fromDate <= entry.date && entry.date <= y.toDate)?.year ??
      entry.date.slice(0, 4);
    const voucherKey = `${entry.journalNumber}:${entry.accountingYear}:${entry.voucherNumber}`;
    let voucherNumber = voucherMap.get(voucherKey);
    if (voucherNumber === undefined) {
      voucherNumber = a.nextBookedVoucherNumber[year] ?? 1;
      a.nextBookedVoucherNumber[year] = voucherNumber + 1;
      voucherMap.set(voucherKey, voucherNumber);
    }
    const post = (accountNumber: number | undefined, amount: number, extra: Partial<BookedEntry> = {}) => {
      if (accountNumber === undefined || amount === 0) return;
      const account = a.accounts.find((x) => x.accountNumber === accountNumber);
      if (account) account.balance = fromOre(toOre(account.balance) + toOre(amount));
      booked.push({
        entryNumber: a.nextBookedEntryNumber++,
        accountingYear: year,
        voucherNumber: voucherNumber!,
        entryType: entry.entryType,
        date: entry.date,
        amount,
        accountNumber,
        text: entry.text,
        currency: entry.currency ?? "DKK",
        ...extra,
      });
    };
    const vatCode = entry.contraVatCode ?? entry.vatCode;
    const vat = entry.contraVatAmount ?? entry.vatAmount ?? 0;
    const codes = vatCode ? vatAccountsOf(a, vatCode) : undefined;
    if (entry.entryType === "supplierInvoice" || entry.entryType === "supplierPayment") {
      const supplier = entry.supplierNumber !== undefined ? a.suppliers.get(entry.supplierNumber) : undefined;
      const group = a.supplierGroups.find(
        (g) =>
          g.supplierGroupNumber ===
          (supplier?.supplierGroup as { supplierGroupNumber?: number } | undefined)?.supplierGroupNumber,
      ) as { account?: { accountNumber: number } } | undefined;
      const creditorAccount = group?.account?.accountNumber;
      // The supplier is credited the amount (negative: a credit); the expense takes it, less the VAT.
      post(creditorAccount ?? entry.contraAccountNumber, entry.amount, {
        supplierNumber: entry.supplierNumber,
        supplierInvoiceNumber: entry.supplierInvoiceNumber,
        dueDate: entry.dueDate,
      });
      if (codes?.contraAccount) {
        // Reverse charge: the expense takes the net; the VAT is posted as input and as output VAT.
        post(entry.contraAccountNumber, -entry.amount, { vatCode });
        post(codes.account.accountNumber, -vat, { vatCode });
        post(codes.contraAccount.accountNumber, vat, { vatCode });
      } else {
        post(entry.contraAccountNumber, -(entry.amount - vat), vatCode ? { vatCode } : {});
        if (codes) post(codes.account.accountNumber, -vat, { vatCode });
      }
    } else {
      // Finance vouchers and the rest: `account` takes the amount, `contraAccount` the opposite.
      post(entry.accountNumber, entry.amount);
      post(entry.contraAccountNumber, -entry.amount, {
        customerNumber: entry.customerNumber,
        ...(vatCode ? { vatCode } : {}),
      });
    }
  }
  a.bookedEntries.push(...booked);
  return booked;
}

/** `GET /accounting-years/{year}/entries`: filterable and sortable on these (_accounting-years.md). */
const BOOKED_FILTERABLE = [
  "amount",
  "amountInBaseCurrency",
  "currency",
  "customer.customerNumber",
  "date",
  "dueDate",
  "entryNumber",
  "entryType",
  "supplier.supplierNumber",
  "supplierInvoiceNumber",
  "text",
  "voucherNumber",
];

function presentBooked(base: string, e: BookedEntry): Obj {
  return {
    entryNumber: e.entryNumber,
    entryType: e.entryType,
    voucherNumber: e.voucherNumber,
    date: e.date,
    amount: e.amount,
    amountInBaseCurrency: e.amount,
    currency: e.currency,
    account: { accountNumber: e.accountNumber, self: `${base}/accounts/${e.accountNumber}` },
    ...(e.text !== undefined ? { text: e.text } : {}),
    ...(e.supplierNumber !== undefined
      ? { supplier: { supplierNumber: e.supplierNumber, self: `${base}/suppliers/${e.supplierNumber}` } }
      : {}),
    ...(e.customerNumber !== undefined
      ? { customer: { customerNumber: e.customerNumber, self: `${base}/customers/${e.customerNumber}` } }
      : {}),
    ...(e.supplierInvoiceNumber !== undefined ? { supplierInvoiceNumber: e.supplierInvoiceNumber } : {}),
    ...(e.dueDate !== undefined ? { dueDate: e.dueDate } : {}),
    ...(e.vatCode !== undefined
      ? { vatAccount: { vatCode: e.vatCode, self: `${base}/vat-accounts/${e.vatCode}` } }
      : {}),
    self: `${base}/accounting-years/${e.accountingYear}/entries/${e.entryNumber}`,
  };
}

export function bookedEntryRoutes() {
  const r = new Hono<EconomicEnv>();
  r.get("/accounting-years/:year/entries", (c) => {
    const a = c.get("agreement");
    const raw = rawSegmentAfter(c.req.url, "/accounting-years/")?.split("/")[0];
    const year = decodeProductNumber(raw ?? "");
    if (!year || !a.accountingYears.some((y) => y.year === year)) notFound(`Accounting year ${raw}`);
    const base = c.get("baseUrl");
    const items = a.bookedEntries.filter((e) => e.accountingYear === year).map((e) => presentBooked(base, e));
    return c.json(
      present(
        collectionResponse(items, query(c), {
          baseUrl: base,
          path: `/accounting-years/${raw}/entries`,
          filterable: BOOKED_FILTERABLE,
          sortable: BOOKED_FILTERABLE,
        }),
      ),
    );
  });
  return r;
}

/** Control calls that play the bookkeeper in e-conomic's own screens. */
export function bookkeeperControlRoutes(agreementOf: (n: number) => Agreement | undefined) {
  const r = new Hono();
  // Books a whole day book, as "Bogfør" in the day book does.
  r.post("/__control/agreements/:n/journals/:j/book", (c) => {
    const a = agreementOf(Number(c.req.param("n")));
    if (!a) return c.json({ error: "not found" }, 404);
    const j = Number(c.req.param("j"));
    const booked = bookEntries(
      a,
      a.entries.filter((e) => e.journalNumber === j).map((e) => e.entryNumber),
    );
    return c.json({ booked: booked.length });
  });
  // Moves one draft entry to another day book: it gets that day book's next voucher number, its text stays.
  r.post("/__control/agreements/:n/entries/:entry/move", async (c) => {
    const a = agreementOf(Number(c.req.param("n")));
    if (!a) return c.json({ error: "not found" }, 404);
    const { journalNumber } = (await c.req.json()) as { journalNumber: number };
    const entry = a.entries.find((e) => e.entryNumber === Number(c.req.param("entry")));
    const journal = a.journals.find((x) => x.journalNumber === journalNumber);
    if (!entry || !journal) throw new EconomicError(404, "Entry or journal not found.");
    entry.journalNumber = journal.journalNumber;
    entry.voucherNumber = journal.nextVoucherNumber++;
    return c.json({ entryNumber: entry.entryNumber, voucherNumber: entry.voucherNumber });
  });
  // Deletes one entry from its day book, as the bookkeeper's delete button in the day book does: entries
  // stay in a day book "until the journal is booked or the drafts are deleted" (_journals.md, quoted in
  // economic-constraints.md). The app never deletes entries; the report tests use this to play the bookkeeper.
  r.delete("/__control/agreements/:n/entries/:entry", (c) => {
    const a = agreementOf(Number(c.req.param("n")));
    if (!a) return c.json({ error: "not found" }, 404);
    const i = a.entries.findIndex((e) => e.entryNumber === Number(c.req.param("entry")));
    if (i < 0) throw new EconomicError(404, "Entry not found.");
    a.entries.splice(i, 1);
    return c.body(null, 204);
  });
  return r;
}
