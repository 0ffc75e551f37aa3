/**
 * The e-conomic emulator against e-conomic's own documentation, request by request. Every row names the
 * documentation file it follows (e-conomic/slate, source/includes/, commit a36f68f) or the reference
 * document where the slate source is silent. The transfer code is tested on this emulator, so a row here
 * is a promise about the real service; where the emulator is stricter than e-conomic, the row says so.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { economicHeaders, withEmulators } from "@/tests/helpers/emulators";

const emulators = withEmulators();

type Json = any;
type Reply = { status: number; json: Json; headers: Headers };
type Call = (
  method: string,
  path: string,
  body?: unknown,
  options?: { agreement?: number; headers?: Record<string, string> },
) => Promise<Reply>;

type Row = {
  doc: string;
  rule: string;
  /** Preparatory calls; returns what the request needs (numbers of things it created). */
  run: (call: Call) => Promise<Reply>;
  status: number;
  check?: (json: Json) => void;
};

const grants = new Map<number, string>();
const call: Call = async (method, path, body, options = {}) => {
  const agreement = options.agreement ?? 700001;
  let grant = grants.get(agreement);
  if (!grant) grants.set(agreement, (grant = emulators().economic.state.issueGrant(agreement).token));
  const res = await fetch(`${emulators().economic.server.url}${path}`, {
    method,
    headers: { ...economicHeaders(grant), ...options.headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
};

/** The error codes at a path of e-conomic's mirrored `errors` (array items found by arrayIndex). */
function codesAt(errors: unknown, path: (string | number)[]): string[] {
  let node: any = errors;
  for (const key of path)
    node = typeof key === "number" ? node?.find?.((x: any) => x.arrayIndex === key) : node?.[key];
  return (node?.errors ?? []).map((e: any) => e.errorCode);
}

const draft = (extra: Record<string, unknown> = {}) => ({
  date: "2026-11-02",
  currency: "DKK",
  customer: { customerNumber: 1001 },
  layout: { layoutNumber: 19 },
  paymentTerms: { paymentTermsNumber: 2 },
  recipient: { name: "Test Kunde ApS", vatZone: { vatZoneNumber: 1 } },
  lines: [{ product: { productNumber: "10001" }, description: "Skrue", quantity: 2, unitNetPrice: 100 }],
  ...extra,
});
const voucher = (entries: Record<string, unknown[]>, extra: Record<string, unknown> = {}) => ({
  accountingYear: { year: "2026" },
  entries,
  ...extra,
});
const finance = (extra: Record<string, unknown> = {}) => ({
  date: "2026-11-20",
  amount: 100,
  account: { accountNumber: 5500 },
  contraAccount: { accountNumber: 1350 },
  text: "Rackbeat Justering",
  ...extra,
});
const supplierInvoice = (extra: Record<string, unknown> = {}) => ({
  date: "2026-11-20",
  amount: -1250,
  supplier: { supplierNumber: 501 },
  contraAccount: { accountNumber: 1310 },
  supplierInvoiceNumber: "F-77",
  dueDate: "2026-12-04",
  ...extra,
});
const book = async (draftNumber: number) =>
  call("POST", "/invoices/booked", { draftInvoice: { draftInvoiceNumber: draftNumber } });

const ROWS: Row[] = [
  // 1. Day books
  {
    doc: "_journals.md (GET /journals-experimental/:journalNumber, settings.*)",
    rule: "a day book's restriction, voucher range and contra accounts sit under settings",
    run: () => call("GET", "/journals/3"),
    status: 200,
    check: (j) => {
      expect(j.settings).toMatchObject({
        entryTypeRestrictedTo: "financeVoucher",
        voucherNumbers: { minimumVoucherNumber: 200000, maximumVoucherNumber: 299999 },
        contraAccounts: {},
      });
      expect(j).not.toHaveProperty("entryTypeRestrictedTo");
      expect(j).not.toHaveProperty("voucherNumbers");
    },
  },
  {
    doc: "_journals.md (settings.entryTypeRestrictedTo)",
    rule: "an unrestricted day book has no entryTypeRestrictedTo at all",
    run: () => call("GET", "/journals/1"),
    status: 200,
    check: (j) => expect(j.settings).not.toHaveProperty("entryTypeRestrictedTo"),
  },
  {
    doc: "_journals.md (POST vouchers; settings.entryTypeRestrictedTo)",
    rule: "a day book restricted to customer payments refuses a supplier invoice",
    run: () => call("POST", "/journals/4/vouchers", voucher({ supplierInvoices: [supplierInvoice()] })),
    status: 400,
  },
  // 2. Payment terms
  {
    doc: "_payment-terms.md (paymentTermsType enum)",
    rule: "the due-date type is spelled dueDate, in camel case",
    run: () => call("GET", "/payment-terms"),
    status: 200,
    check: (j) => {
      const types = j.collection.map((t: any) => t.paymentTermsType);
      expect(types).toContain("dueDate");
      for (const type of types)
        expect([
          "net",
          "invoiceMonth",
          "paidInCash",
          "prepaid",
          "dueDate",
          "factoring",
          "invoiceWeekStartingSunday",
          "invoiceWeekStartingMonday",
          "creditcard",
        ]).toContain(type);
    },
  },
  // 3. Exchange rates
  {
    doc: "_invoices.md (POST /invoices/drafts, exchangeRate)",
    rule: "without exchangeRate a foreign-currency draft takes the day's rate (cost of 100 units) and returns it",
    run: () => call("POST", "/invoices/drafts", draft({ currency: "EUR" })),
    status: 201,
    check: (j) => {
      expect(j.exchangeRate).toBe(746.12);
      expect(j.netAmount).toBe(200);
      expect(j.netAmountInBaseCurrency).toBe(1492.24);
      expect(j.grossAmountInBaseCurrency).toBe(1865.3);
    },
  },
  {
    doc: "_invoices.md (POST /invoices/drafts, exchangeRate)",
    rule: "the base currency's rate is 100",
    run: () => call("POST", "/invoices/drafts", draft()),
    status: 201,
    check: (j) => {
      expect(j.exchangeRate).toBe(100);
      expect(j.netAmountInBaseCurrency).toBe(j.netAmount);
    },
  },
  {
    doc: "_invoices.md (POST /invoices/drafts, exchangeRate)",
    rule: "a sent exchangeRate is used for the base-currency amounts",
    run: () => call("POST", "/invoices/drafts", draft({ currency: "EUR", exchangeRate: 750 })),
    status: 201,
    check: (j) => expect(j.netAmountInBaseCurrency).toBe(1500),
  },
  // 4. Due date
  {
    doc: "_invoices.md (dueDate: only used for terms of type dueDate)",
    rule: "with net terms a sent dueDate is ignored and computed from the terms (8 days)",
    run: () => call("POST", "/invoices/drafts", draft({ dueDate: "2030-01-01" })),
    status: 201,
    check: (j) => expect(j.dueDate).toBe("2026-11-10"),
  },
  {
    doc: "_invoices.md (dueDate: mandatory for terms of type dueDate)",
    rule: "dueDate terms without a dueDate are refused at dueDate",
    run: () => call("POST", "/invoices/drafts", draft({ paymentTerms: { paymentTermsNumber: 5 } })),
    status: 400,
    check: (j) => expect(codesAt(j.errors, ["dueDate"]).length).toBe(1),
  },
  {
    doc: "_invoices.md (dueDate)",
    rule: "dueDate terms keep the sent dueDate",
    run: () =>
      call(
        "POST",
        "/invoices/drafts",
        draft({ paymentTerms: { paymentTermsNumber: 5 }, dueDate: "2026-12-24" }),
      ),
    status: 201,
    check: (j) => expect(j.dueDate).toBe("2026-12-24"),
  },
  // 5. Voucher numbers
  {
    doc: "_journals.md (POST vouchers, voucherNumber)",
    rule: "a voucher-level voucherNumber is honoured",
    run: () =>
      call(
        "POST",
        "/journals/3/vouchers",
        voucher({ financeVouchers: [finance()] }, { voucherNumber: 200500 }),
      ),
    status: 201,
    check: (j) => {
      expect(j[0].voucherNumber).toBe(200500);
      expect(j[0].entries.financeVouchers[0].voucher.voucherNumber).toBe(200500);
    },
  },
  {
    doc: "_journals.md (voucherNumber; settings.voucherNumbers)",
    rule: "a voucher number outside the day book's range is refused at voucherNumber",
    run: () =>
      call("POST", "/journals/3/vouchers", voucher({ financeVouchers: [finance()] }, { voucherNumber: 150 })),
    status: 400,
    check: (j) => expect(codesAt(j.errors, ["voucherNumber"]).length).toBe(1),
  },
  // 6. Voucher answers and entries
  {
    doc: "_journals.md (POST vouchers: the voucher with its entries by type)",
    rule: "the answer groups entries by type, each with its account objects and voucher",
    run: () =>
      call(
        "POST",
        "/journals/1/vouchers",
        voucher({ financeVouchers: [finance()], supplierInvoices: [supplierInvoice()] }),
      ),
    status: 201,
    check: (j) => {
      const { financeVouchers, supplierInvoices } = j[0].entries;
      expect(financeVouchers[0]).toMatchObject({
        account: { accountNumber: 5500 },
        contraAccount: { accountNumber: 1350 },
        entryType: "financeVoucher",
        voucher: { voucherNumber: j[0].voucherNumber },
      });
      expect(supplierInvoices[0]).toMatchObject({
        supplier: { supplierNumber: 501 },
        supplierInvoiceNumber: "F-77",
        entryType: "supplierInvoice",
        voucher: { voucherNumber: j[0].voucherNumber },
      });
    },
  },
  {
    doc: "_journals.md (GET /journals-experimental/:journalNumber/entries, filterable properties)",
    rule: "entries filter on voucher.voucherNumber",
    run: async () => {
      await call(
        "POST",
        "/journals/3/vouchers",
        voucher({ financeVouchers: [finance()] }, { voucherNumber: 200700 }),
      );
      return call("GET", "/journals/3/entries?filter=voucher.voucherNumber$eq:200700");
    },
    status: 200,
    check: (j) => expect(j.collection.map((e: any) => e.voucher.voucherNumber)).toEqual([200700]),
  },
  {
    doc: "_journals.md (GET entries, filterable properties)",
    rule: "entries cannot be filtered on an undocumented property",
    run: () => call("GET", "/journals/3/entries?filter=accountNumber$eq:5500"),
    status: 400,
  },
  // 7. Supplier-invoice VAT
  {
    doc: "_journals.md (entries.supplierInvoices: contraVatAccount, contraVatAmount; no vatAccount)",
    rule: "a supplier invoice's input VAT is contraVatAccount/contraVatAmount",
    run: () =>
      call(
        "POST",
        "/journals/2/vouchers",
        voucher({
          supplierInvoices: [
            supplierInvoice({ contraVatAccount: { vatCode: "I25" }, contraVatAmount: -250 }),
          ],
        }),
      ),
    status: 201,
    check: (j) =>
      expect(j[0].entries.supplierInvoices[0]).toMatchObject({
        contraVatAccount: { vatCode: "I25" },
        contraVatAmount: -250,
      }),
  },
  {
    doc: "_journals.md (supplierInvoices have no vatAccount); _introduction.md (unknown properties are ignored)",
    rule: "vatAccount on a supplier invoice is silently dropped",
    run: () =>
      call(
        "POST",
        "/journals/2/vouchers",
        voucher({ supplierInvoices: [supplierInvoice({ vatAccount: { vatCode: "I25" } })] }),
      ),
    status: 201,
    check: (j) => expect(j[0].entries.supplierInvoices[0]).not.toHaveProperty("vatAccount"),
  },
  {
    doc: "_journals.md (entries.financeVouchers.vatAccount)",
    rule: "a finance voucher keeps its vatAccount",
    run: () =>
      call(
        "POST",
        "/journals/1/vouchers",
        voucher({ financeVouchers: [finance({ vatAccount: { vatCode: "I25" } })] }),
      ),
    status: 201,
    check: (j) => expect(j[0].entries.financeVouchers[0].vatAccount.vatCode).toBe("I25"),
  },
  // 8. VAT on invoice lines
  {
    doc: "_product-groups.md (sales-accounts per VAT zone); _accounts.md (vatAccount)",
    rule: "a domestic line in a taxable group carries 25 % VAT",
    run: () => call("POST", "/invoices/drafts", draft()),
    status: 201,
    check: (j) => expect([j.netAmount, j.vatAmount, j.grossAmount]).toEqual([200, 50, 250]),
  },
  {
    doc: "_product-groups.md (sales-accounts per VAT zone); _accounts.md (vatAccount)",
    rule: "a VAT-exempt product group gives 0 VAT even to a domestic recipient",
    run: async () => {
      const created = await call("POST", "/products", {
        productNumber: "MOMSFRI-1",
        name: "Momsfri vare",
        productGroup: { productGroupNumber: 3 },
        inventory: { recommendedCostPrice: 10 },
      });
      expect(created.status).toBe(201);
      return call(
        "POST",
        "/invoices/drafts",
        draft({
          lines: [
            {
              product: { productNumber: "MOMSFRI-1" },
              description: "Momsfri",
              quantity: 2,
              unitNetPrice: 100,
            },
          ],
        }),
      );
    },
    status: 201,
    check: (j) => expect([j.netAmount, j.vatAmount]).toEqual([200, 0]),
  },
  {
    doc: "_product-groups.md (sales-accounts per VAT zone)",
    rule: "an EU recipient is sold to on the EU sales account (0 % VAT)",
    run: () =>
      call(
        "POST",
        "/invoices/drafts",
        draft({ currency: "EUR", recipient: { name: "GmbH", vatZone: { vatZoneNumber: 2 } } }),
      ),
    status: 201,
    check: (j) => expect(j.vatAmount).toBe(0),
  },
  // 9. unitNetPrice
  {
    doc: "STRICTER than e-conomic (the docs are silent; economic-constraints.md: always send unitNetPrice)",
    rule: "a product line without unitNetPrice is refused, not priced from the product",
    run: () =>
      call(
        "POST",
        "/invoices/drafts",
        draft({ lines: [{ product: { productNumber: "10001" }, description: "Skrue", quantity: 1 }] }),
      ),
    status: 400,
    check: (j) => expect(codesAt(j.errors, ["lines", 0, "unitNetPrice"]).length).toBe(1),
  },
  // 10. Filters
  {
    doc: "_introduction.md (Filtering: using null values, the $null: escape sequence)",
    rule: "email$eq:$null: finds customers without an e-mail",
    run: async () => {
      await call("POST", "/customers", {
        customerNumber: 99001,
        name: "Uden Mail ApS",
        currency: "DKK",
        customerGroup: { customerGroupNumber: 1 },
        paymentTerms: { paymentTermsNumber: 2 },
        vatZone: { vatZoneNumber: 1 },
      });
      return call("GET", "/customers?filter=email$eq:$null:&pagesize=1000");
    },
    status: 200,
    check: (j) => expect(j.collection.map((c: any) => c.customerNumber)).toEqual([99001]),
  },
  {
    doc: "_introduction.md (Filtering: $null:)",
    rule: "email$ne:$null: finds the customers that have one",
    run: () => call("GET", "/customers?filter=email$ne:$null:&pagesize=1"),
    status: 200,
    check: (j) => expect(j.collection[0].email).toBeTruthy(),
  },
  {
    doc: "_introduction.md (Filtering: $null: is a value, not an operator)",
    rule: "email$null: is not an operator",
    run: () => call("GET", "/customers?filter=email$null:"),
    status: 400,
  },
  {
    doc: "_invoices.md (GET /invoices/booked, filterable properties)",
    rule: "booked invoices cannot be filtered on draftInvoiceNumber",
    run: () => call("GET", "/invoices/booked?filter=draftInvoiceNumber$eq:1"),
    status: 400,
  },
  {
    doc: "_invoices.md (GET /invoices/booked, filterable properties)",
    rule: "booked invoices filter on references.other",
    run: async () => {
      const d = await call("POST", "/invoices/drafts", draft({ references: { other: "rackbeat:4711" } }));
      await book(d.json.draftInvoiceNumber);
      return call("GET", "/invoices/booked?filter=references.other$eq:rackbeat:4711");
    },
    status: 200,
    check: (j) => expect(j.collection).toHaveLength(1),
  },
  // 11. Error paths
  {
    doc: "_introduction.md (Errors: the annotated example)",
    rule: "an unknown customer, product and unit err at the reference itself",
    run: () =>
      call(
        "POST",
        "/invoices/drafts",
        draft({
          customer: { customerNumber: 987987987 },
          lines: [
            {
              product: { productNumber: "10001" },
              description: "x",
              quantity: 1,
              unitNetPrice: 1,
              unit: { unitNumber: 10 },
            },
            { product: { productNumber: "NO-SUCH" }, description: "x", quantity: 1, unitNetPrice: 1 },
          ],
        }),
      ),
    status: 400,
    check: (j) => {
      expect(codesAt(j.errors, ["customer"])).toEqual(["E06000"]);
      expect(codesAt(j.errors, ["lines", 0, "unit"])).toEqual(["E06000"]);
      expect(codesAt(j.errors, ["lines", 1, "product"])).toEqual(["E06000"]);
      expect(j.errors.customer).not.toHaveProperty("customerNumber");
    },
  },
  {
    doc: "_introduction.md (Errors: E04500 no identifiers present)",
    rule: "a reference with neither number nor self is E04500 at the reference",
    run: () =>
      call(
        "POST",
        "/invoices/drafts",
        draft({ lines: [{ product: {}, description: "x", quantity: 1, unitNetPrice: 1 }] }),
      ),
    status: 400,
    check: (j) => expect(codesAt(j.errors, ["lines", 0, "product"])).toEqual(["E04500"]),
  },
  {
    doc: "_introduction.md (Errors: arrayIndex on a bulk body)",
    rule: "errors on a bulk voucher POST are an array mirroring the request",
    run: () =>
      call("POST", "/journals/3/vouchers", [
        voucher({ financeVouchers: [finance()] }),
        voucher({ financeVouchers: [finance({ account: { accountNumber: 1000 } })] }),
      ]),
    status: 400,
    check: (j) => {
      expect(Array.isArray(j.errors)).toBe(true);
      expect(j.errors.map((e: any) => e.arrayIndex)).toEqual([1]);
      expect(codesAt(j.errors, [1, "entries", "financeVouchers", 0, "account"]).length).toBe(1);
    },
  },
  // 12. Layouts
  {
    doc: "_layouts.md (GET /layouts/:layoutNumber, deleted)",
    rule: "a deleted layout answers by number, marked deleted",
    run: () => call("GET", "/layouts/22"),
    status: 200,
    check: (j) => expect(j).toMatchObject({ layoutNumber: 22, deleted: true }),
  },
  {
    doc: "_layouts.md (GET /layouts)",
    rule: "a deleted layout is hidden from the collection",
    run: () => call("GET", "/layouts"),
    status: 200,
    check: (j) => expect(j.collection.map((l: any) => l.layoutNumber)).not.toContain(22),
  },
  {
    doc: "_layouts.md; economic-constraints.md (a draft may not use a deleted layout)",
    rule: "a draft on a deleted layout is refused at layout",
    run: () => call("POST", "/invoices/drafts", draft({ layout: { layoutNumber: 22 } })),
    status: 400,
    check: (j) => expect(codesAt(j.errors, ["layout"])).toEqual(["E06000"]),
  },
  // 13. Sales accounts
  {
    doc: "_product-groups.md (GET /product-groups/:productGroupNumber/sales-accounts)",
    rule: "items carry salesAccount and vatZone",
    run: () => call("GET", "/product-groups/1/sales-accounts"),
    status: 200,
    check: (j) => {
      expect(j.collection).toHaveLength(4);
      expect(j.collection[0]).toMatchObject({
        salesAccount: { accountNumber: 1010, accountType: "profitAndLoss" },
        vatZone: { vatZoneNumber: 1 },
      });
      expect(j.collection[0]).not.toHaveProperty("account");
    },
  },
  // 14. Booked invoices
  {
    doc: "_invoices.md (GET /invoices/booked/:bookedInvoiceNumber: sent, remainder, remainderInBaseCurrency)",
    rule: "a booked invoice carries sent and remainderInBaseCurrency, and no sendBy",
    run: async () => {
      const d = await call("POST", "/invoices/drafts", draft({ currency: "EUR" }));
      const booked = await book(d.json.draftInvoiceNumber);
      return call("GET", `/invoices/booked/${booked.json.bookedInvoiceNumber}`);
    },
    status: 200,
    check: (j) => {
      expect(typeof j.sent).toBe("string");
      expect(j.remainder).toBe(250);
      expect(j.remainderInBaseCurrency).toBe(1865.3);
      expect(j).not.toHaveProperty("sendBy");
    },
  },
  // 15. Journals OpenAPI errors
  {
    doc: "economic-api.md §4 (OpenAPI errors have code and property)",
    rule: "draft-entry errors are a flat list of { code, property, message }",
    run: () =>
      call("POST", "/journalsapi/v16.0.1/journals/3/draft-entries", {
        date: "2026-11-20",
        amount: 10,
        accountNumber: 5500,
        contraAccountNumber: 1350,
        voucherNumber: 5,
      }),
    status: 400,
    check: (j) => {
      expect(Array.isArray(j.errors)).toBe(true);
      expect(j.errors[0]).toMatchObject({
        code: "JournalEntryVoucherNumberNotWithinBoundaries",
        property: "voucherNumber",
      });
    },
  },
  {
    doc: "economic-api.md §4–5 (Idempotency-Key: a replay returns the first 2xx and creates nothing)",
    rule: "a replayed draft entry creates nothing new",
    run: async () => {
      const body = { date: "2026-11-20", amount: 10, accountNumber: 5500, contraAccountNumber: 1350 };
      const first = await call("POST", "/journalsapi/v16.0.1/journals/3/draft-entries", body, {
        headers: { "Idempotency-Key": "conformance-1" },
      });
      const again = await call("POST", "/journalsapi/v16.0.1/journals/3/draft-entries", body, {
        headers: { "Idempotency-Key": "conformance-1" },
      });
      expect(again.json).toEqual(first.json);
      return call("GET", "/journals/3/entries?filter=amount$eq:10");
    },
    status: 200,
    check: (j) => expect(j.collection).toHaveLength(1),
  },
  // 16. Split accounting years
  {
    doc: "_accounting-years.md (year: YYYY or YYYY/YYYY)",
    rule: "a July–June agreement names its years by both calendar years",
    run: () => call("GET", "/accounting-years", undefined, { agreement: 700003 }),
    status: 200,
    check: (j) => {
      expect(j.collection.map((y: any) => y.year)).toEqual(["2025/2026", "2026/2027", "2027/2028"]);
      expect(j.collection[1]).toMatchObject({ fromDate: "2026-07-01", toDate: "2027-06-30" });
    },
  },
  {
    doc: "_accounting-years.md (filterable: fromDate, toDate, year)",
    rule: "the year of a date is found by filtering on fromDate and toDate",
    run: () =>
      call("GET", "/accounting-years?filter=fromDate$lte:2026-08-01$and:toDate$gte:2026-08-01", undefined, {
        agreement: 700003,
      }),
    status: 200,
    check: (j) => expect(j.collection.map((y: any) => y.year)).toEqual(["2026/2027"]),
  },
  {
    doc: "_journals.md (accountingYear.year must exist); _accounting-years.md",
    rule: "a calendar-year name does not exist on a split-year agreement",
    run: () =>
      call("POST", "/journals/3/vouchers", voucher({ financeVouchers: [finance({ date: "2026-08-01" })] }), {
        agreement: 700003,
      }),
    status: 400,
    check: (j) => expect(codesAt(j.errors, ["accountingYear"])).toEqual(["E06000"]),
  },
  {
    doc: "_journals.md (accountingYear); _accounting-years.md",
    rule: "the split year's own name is accepted for a date inside it",
    run: () =>
      call(
        "POST",
        "/journals/3/vouchers",
        voucher(
          { financeVouchers: [finance({ date: "2026-08-01" })] },
          { accountingYear: { year: "2026/2027" } },
        ),
        { agreement: 700003 },
      ),
    status: 201,
    check: (j) => expect(j[0].accountingYear.self).toMatch(/accounting-years\/2026_6_2027$/),
  },
  {
    doc: "_accounting-years.md (self links use the _6_ scheme for /)",
    rule: "a split year answers by its encoded self link",
    run: () => call("GET", "/accounting-years/2026_6_2027", undefined, { agreement: 700003 }),
    status: 200,
    check: (j) => expect(j.year).toBe("2026/2027"),
  },
  // 17. Missing quantity
  {
    doc: "_introduction.md (Errors: E04730 in the annotated example, on the invoice)",
    rule: "a product line without quantity gives E04730 at the invoice's quantity",
    run: () =>
      call(
        "POST",
        "/invoices/drafts",
        draft({ lines: [{ product: { productNumber: "10001" }, description: "x", unitNetPrice: 1 }] }),
      ),
    status: 400,
    check: (j) => {
      expect(codesAt(j.errors, ["quantity"])).toEqual(["E04730"]);
      expect(codesAt(j.errors, ["lines", 0, "quantity"])).toEqual([]);
    },
  },
  // 18. Documented rules kept from before
  {
    doc: "_introduction.md (Nulling: null is not accepted; omit the property)",
    rule: "null anywhere is E00500",
    run: () => call("POST", "/invoices/drafts", draft({ notes: { heading: null } })),
    status: 400,
    check: (j) => expect(codesAt(j.errors, ["notes", "heading"])).toEqual(["E00500"]),
  },
  {
    doc: "_introduction.md (annotated errors: unitNetPrice scale, E04740)",
    rule: "unitNetPrice with three decimals is E04740 at the line",
    run: () =>
      call(
        "POST",
        "/invoices/drafts",
        draft({
          lines: [
            { product: { productNumber: "10001" }, description: "x", quantity: 1, unitNetPrice: 10.123 },
          ],
        }),
      ),
    status: 400,
    check: (j) => expect(codesAt(j.errors, ["lines", 0, "unitNetPrice"])).toEqual(["E04740"]),
  },
  {
    doc: "_introduction.md (HTTP verbs: no PATCH)",
    rule: "PATCH answers 405",
    run: () => call("PATCH", "/customers/1001", { name: "x" }),
    status: 405,
  },
  {
    doc: "_introduction.md (status codes: 415)",
    rule: "a body that is not JSON answers 415",
    run: () => call("POST", "/customers", "name=x", { headers: { "Content-Type": "text/plain" } }),
    status: 415,
  },
  {
    doc: "_introduction.md (Pagination: at most 1000 per page)",
    rule: "pagesize 1001 is refused",
    run: () => call("GET", "/customers?pagesize=1001"),
    status: 400,
  },
  {
    doc: "_introduction.md (Filtering: escape special characters)",
    rule: "an unescaped ( in a value is refused",
    run: () => call("GET", "/customers?filter=name$eq:A(B"),
    status: 400,
  },
  {
    doc: "_introduction.md (Filtering: $in only on numbers, at most 200)",
    rule: "$in with strings is refused",
    run: () => call("GET", "/customers?filter=customerNumber$in:[a,b]"),
    status: 400,
  },
  {
    doc: "_products.md; _introduction.md (self-link encoding of product numbers)",
    rule: "a product number with / is addressed as _6_, never %2F",
    run: async () => {
      expect((await call("GET", "/products/VVS%2F150")).status).toBe(404);
      return call("GET", "/products/VVS_6_150");
    },
    status: 200,
    check: (j) => expect(j.productNumber).toBe("VVS/150"),
  },
  {
    doc: "_accounting-years.md (closed); _invoices.md (POST /invoices/booked)",
    rule: "a draft dated in a closed accounting year cannot be booked",
    run: async () => {
      const d = await call("POST", "/invoices/drafts", draft({ date: "2025-06-01" }));
      expect(d.status).toBe(201);
      return book(d.json.draftInvoiceNumber);
    },
    status: 400,
  },
  {
    doc: "_customers.md (name 1–255)",
    rule: "a customer name over 255 characters is refused at name",
    run: () =>
      call("POST", "/customers", {
        name: "x".repeat(256),
        currency: "DKK",
        customerGroup: { customerGroupNumber: 1 },
        paymentTerms: { paymentTermsNumber: 2 },
        vatZone: { vatZoneNumber: 1 },
      }),
    status: 400,
    check: (j) => expect(codesAt(j.errors, ["name"]).length).toBe(1),
  },
  // 7. What keeps a customer's books whole (economic-constraints.md, "Facts that decide whether the
  //    customer's books stay whole")
  {
    doc: "_customers.md (vatNumber: only agreements in Sweden, UK, Germany, Poland and Finland)",
    rule: "a Danish agreement refuses vatNumber on a customer; the CVR goes in corporateIdentificationNumber",
    run: async () => {
      const body = {
        name: "Kunde ApS",
        currency: "DKK",
        customerGroup: { customerGroupNumber: 1 },
        paymentTerms: { paymentTermsNumber: 2 },
        vatZone: { vatZoneNumber: 1 },
      };
      const cvr = await call("POST", "/customers", { ...body, corporateIdentificationNumber: "12345678" });
      expect(cvr.status).toBe(201);
      return call("POST", "/customers", { ...body, vatNumber: "DK12345678" });
    },
    status: 400,
    check: (j) => expect(codesAt(j.errors, ["vatNumber"]).length).toBe(1),
  },
  {
    doc: "_introduction.md (PUT overwrites the full object: to null a property you must exclude it)",
    rule: "a PUT without a field erases it: what is not sent is gone",
    run: async () => {
      const supplier = (await call("GET", "/suppliers/501")).json;
      const put = await call("PUT", "/suppliers/501", { ...supplier, bankAccount: "9570 1234" });
      expect(put.status).toBe(200);
      const { bankAccount: _dropped, ...rest } = supplier;
      expect((await call("PUT", "/suppliers/501", rest)).status).toBe(200);
      return call("GET", "/suppliers/501");
    },
    status: 200,
    check: (j) => expect(j).not.toHaveProperty("bankAccount"),
  },
  {
    doc: "production integration (economic-constraints.md, VAT on supplier-invoice entries; slate silent)",
    rule: "the VAT e-conomic computes for an entry shows on it: 1 250,00 at I25 holds 250,00",
    run: async () => {
      await call(
        "POST",
        "/journals/2/vouchers",
        voucher({
          supplierInvoices: [supplierInvoice({ contraVatAccount: { vatCode: "I25" }, text: "moms" })],
        }),
      );
      return call("GET", "/journals/2/entries?filter=text$eq:moms");
    },
    status: 200,
    check: (j) => expect(j.collection[0]).toMatchObject({ amount: -1250, contraVatAmount: -250 }),
  },
  {
    doc: "_vat-accounts.md (contraAccount); economic-constraints.md (VAT on supplier-invoice entries)",
    rule: "a reverse-charge code adds its VAT on top of a net amount and posts it both ways when booked",
    run: async (c) => {
      const posted = await c(
        "POST",
        "/journals/2/vouchers",
        voucher({
          supplierInvoices: [
            supplierInvoice({
              amount: -1000,
              contraAccount: { accountNumber: 1320 },
              contraVatAccount: { vatCode: "IEUV" },
              text: "eu",
            }),
          ],
        }),
      );
      expect(posted.status).toBe(201);
      await fetch(`${emulators().economic.server.url}/__control/agreements/700001/journals/2/book`, {
        method: "POST",
      });
      return c("GET", "/accounting-years/2026/entries?filter=text$eq:eu");
    },
    status: 200,
    check: (j) =>
      expect(j.collection.map((e: any) => [e.account.accountNumber, e.amount]).sort()).toEqual([
        [1320, 1000],
        [6800, -1000],
        [6910, 250],
        [6920, -250],
      ]),
  },
  {
    doc: "economic-constraints.md (day-book entries leave the day book when it is booked; voucher numbers change)",
    rule: "booking a day book moves its entries to the year's booked entries, filterable on text, under new voucher numbers",
    run: async (c) => {
      const posted = await c(
        "POST",
        "/journals/2/vouchers",
        voucher({ supplierInvoices: [supplierInvoice({ text: "Rackbeat leverandørfaktura 9" })] }),
      );
      expect(posted.json[0].voucherNumber).toBe(100000);
      await fetch(`${emulators().economic.server.url}/__control/agreements/700001/journals/2/book`, {
        method: "POST",
      });
      const draft = await c("GET", "/journals/2/entries?filter=text$eq:Rackbeat leverandørfaktura 9");
      expect(draft.json.collection).toEqual([]);
      return c(
        "GET",
        "/accounting-years/2026/entries?filter=supplierInvoiceNumber$eq:F-77$and:supplier.supplierNumber$eq:501",
      );
    },
    status: 200,
    check: (j) => {
      expect(j.collection.length).toBeGreaterThan(0);
      for (const e of j.collection)
        expect(e).toMatchObject({ voucherNumber: 1, text: "Rackbeat leverandørfaktura 9" });
    },
  },
  {
    doc: "_accounting-years.md (GET /accounting-years/:accountingYear/entries, filterable properties)",
    rule: "booked entries cannot be filtered on a property the docs do not list",
    run: () => call("GET", "/accounting-years/2026/entries?filter=journalNumber$eq:2"),
    status: 400,
  },
  // Orders (_orders.md: experimental; inventory agreements may not write them)
  {
    doc: "_orders.md (GET /orders/sent: collection properties have no lines; GET /orders/sent/:orderNumber has them)",
    rule: "a sent order is listed without its lines and read whole by number",
    run: async () => {
      const made = await call("POST", "/__control/agreements/700001/orders", draft());
      const list = await call("GET", `/orders/sent?filter=orderNumber$eq:${made.json.orderNumber}`);
      expect(list.json.collection).toHaveLength(1);
      expect(list.json.collection[0]).not.toHaveProperty("lines");
      return call("GET", `/orders/sent/${made.json.orderNumber}`);
    },
    status: 200,
    check: (o) => {
      expect(o.lines).toHaveLength(1);
      expect(o.netAmount).toBe(200);
    },
  },
  {
    doc: "_orders.md (Filterable properties of GET /orders/sent)",
    rule: "netAmount is not a filterable property of orders",
    run: () => call("GET", "/orders/sent?filter=netAmount$gt:0"),
    status: 400,
  },
  {
    doc: '_orders.md ("The inventory module is not supported in the current version of /orders")',
    rule: "an agreement with the inventory module (Lager) cannot create orders through the API",
    run: () => call("POST", "/orders/drafts", draft()),
    status: 400,
    check: (e) => expect(JSON.stringify(e)).toMatch(/inventory module/),
  },
  {
    doc: "_orders.md (GET /orders/drafts/:orderNumber)",
    rule: "a sent order is not found among the drafts",
    run: async () => {
      const made = await call("POST", "/__control/agreements/700001/orders", draft());
      return call("GET", `/orders/drafts/${made.json.orderNumber}`);
    },
    status: 404,
  },
];

describe("Idempotency-Key (e-conomic's OpenAPI introduction, Idempotency tokens; economic-constraints.md)", () => {
  const post = (key: string, path = "/journals/3/vouchers") =>
    call("POST", path, voucher({ financeVouchers: [finance()] }), { headers: { "Idempotency-Key": key } });
  const advance = (seconds: number) =>
    fetch(`${emulators().economic.server.url}/__control/clock`, {
      method: "POST",
      body: JSON.stringify({ advanceSeconds: seconds }),
    });
  it("a repeat within the hour gets the first answer, marked X-ResultFromCache, and creates nothing", async () => {
    const first = await post("k-1");
    const again = await post("k-1");
    expect(again.status).toBe(first.status);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get("X-ResultFromCache")).toBe("true");
    expect(first.headers.get("X-ResultFromCache")).toBeNull();
    expect((await call("GET", "/journals/3/entries")).json.collection).toHaveLength(1);
  });
  it("the same key on another URL is refused with 400 URLChanged", async () => {
    await post("k-2");
    const other = await call("POST", "/customers", {}, { headers: { "Idempotency-Key": "k-2" } });
    expect(other.status).toBe(400);
    expect(other.json.errorCode).toBe("URLChanged");
  });
  it("after an hour the key is forgotten and the write is done again", async () => {
    await post("k-3");
    await advance(3601);
    const later = await post("k-3");
    expect(later.status).toBe(201);
    expect(later.headers.get("X-ResultFromCache")).toBeNull();
    expect((await call("GET", "/journals/3/entries")).json.collection).toHaveLength(2);
  });
  it("a refused write is not kept: fixed and sent again under the same key, it is done", async () => {
    const refused = await call(
      "POST",
      "/journals/3/vouchers",
      voucher({ financeVouchers: [finance({ amount: 1.234 })] }),
      {
        headers: { "Idempotency-Key": "k-4" },
      },
    );
    expect(refused.status).toBe(400);
    expect((await post("k-4")).status).toBe(201);
  });
});

beforeEach(() => {
  emulators().economic.state.reset();
  grants.clear();
});

describe("e-conomic emulator conformance", () => {
  it.each(ROWS.map((row) => [`${row.rule} — ${row.doc}`, row] as const))("%s", async (_name, row) => {
    const reply = await row.run(call);
    expect([reply.status, reply.json?.message]).toEqual([row.status, reply.json?.message]);
    row.check?.(reply.json);
  });
});
