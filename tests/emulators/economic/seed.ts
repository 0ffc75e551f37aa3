import type { Order } from "./routes-orders";
import {
  COMPANY_KINDS,
  COMPANY_SUFFIX,
  COMPANY_WORDS,
  DANISH_CITIES,
  PRODUCT_ADJ,
  PRODUCT_NOUNS,
  prng,
  STREETS,
} from "../shared/prng";

type Obj = Record<string, unknown>;

export type Account = {
  accountNumber: number;
  name: string;
  accountType: "profitAndLoss" | "status" | "heading" | "headingStart" | "totalFrom" | "sumInterval";
  debitCredit: "debit" | "credit";
  vatAccount?: { vatCode: string };
  barred?: boolean;
  blockDirectEntries?: boolean;
  balance: number;
};
export type Journal = {
  journalNumber: number;
  name: string;
  entryTypeRestrictedTo?: string;
  minVoucherNumber: number;
  maxVoucherNumber: number;
  nextVoucherNumber: number;
};

/** One accounting agreement: a company's books. */
export type Agreement = {
  agreementNumber: number;
  company: Obj;
  user: Obj;
  accounts: Account[];
  journals: Journal[];
  vatZones: Obj[];
  vatAccounts: Obj[];
  layouts: (Obj & { layoutNumber: number; deleted?: boolean })[];
  paymentTerms: (Obj & { paymentTermsNumber: number; paymentTermsType: string })[];
  units: (Obj & { unitNumber: number })[];
  currencies: Obj[];
  customerGroups: (Obj & { customerGroupNumber: number })[];
  supplierGroups: (Obj & { supplierGroupNumber: number })[];
  productGroups: (Obj & { productGroupNumber: number; salesAccounts: Obj[] })[];
  accountingYears: { year: string; fromDate: string; toDate: string; closed: boolean }[];
  employees: Obj[];
  paymentTypes: Obj[];
  modules: { moduleNumber: number; name: string }[];
  customers: Map<number, Obj & { customerNumber: number }>;
  /** Contacts per customer number. */
  contacts: Map<number, (Obj & { customerContactNumber: number; name: string })[]>;
  nextContactNumber: number;
  suppliers: Map<number, Obj & { supplierNumber: number }>;
  products: Map<string, Obj & { productNumber: string }>;
  drafts: Map<number, Obj & { draftInvoiceNumber: number }>;
  /** Orders in their three collections (routes-orders.ts). */
  orders: Map<number, Order>;
  nextOrderNumber: number;
  booked: Map<number, Obj & { bookedInvoiceNumber: number }>;
  /** Entries posted through /journals/{n}/vouchers and the journals OpenAPI, not yet booked. */
  entries: (Obj & {
    entryNumber: number;
    journalNumber: number;
    voucherNumber: number;
    entryType: string;
    amount: number;
  })[];
  /**
   * What booking a day book made: one row per account posting, in the accounting year's entries
   * (`GET /accounting-years/{year}/entries`, _accounting-years.md).
   */
  bookedEntries: BookedEntry[];
  nextDraftNumber: number;
  nextBookedNumber: number;
  nextEntryNumber: number;
  nextBookedEntryNumber: number;
  /** Voucher numbers given at booking, per accounting year: booking renumbers (economic-constraints.md). */
  nextBookedVoucherNumber: Record<string, number>;
  /** Idempotency-Key → the first 2xx answer, what it answered and when (idempotency.ts). */
  idempotency: Map<string, { target: string; status: number; body: unknown; at: number }>;
};

export type BookedEntry = {
  entryNumber: number;
  accountingYear: string;
  voucherNumber: number;
  entryType: string;
  date: string;
  amount: number;
  accountNumber: number;
  text?: string;
  currency: string;
  supplierNumber?: number;
  customerNumber?: number;
  supplierInvoiceNumber?: string;
  dueDate?: string;
  vatCode?: string;
};

const a = (
  accountNumber: number,
  name: string,
  accountType: Account["accountType"],
  extra: Partial<Account> = {},
): Account => ({
  accountNumber,
  name,
  accountType,
  debitCredit: accountNumber < 5000 ? "credit" : "debit",
  balance: 0,
  ...extra,
});

/** The demo chart of accounts: sales, purchases, cost of goods, inventory, receivables, payables. */
function chartOfAccounts(): Account[] {
  return [
    a(1000, "OMSÆTNING", "heading"),
    a(1010, "Salg af varer, indland", "profitAndLoss", { vatAccount: { vatCode: "U25" } }),
    a(1020, "Salg af varer, EU", "profitAndLoss", { vatAccount: { vatCode: "UEUV" } }),
    a(1030, "Salg af varer, udland", "profitAndLoss"),
    a(1040, "Salg, momsfrit", "profitAndLoss"),
    a(1099, "Omsætning i alt", "totalFrom"),
    a(1300, "VAREFORBRUG", "heading"),
    a(1310, "Varekøb, indland", "profitAndLoss", { vatAccount: { vatCode: "I25" }, debitCredit: "debit" }),
    a(1320, "Varekøb, EU", "profitAndLoss", { vatAccount: { vatCode: "IEUV" }, debitCredit: "debit" }),
    a(1330, "Varekøb, udland", "profitAndLoss", { vatAccount: { vatCode: "IVV" }, debitCredit: "debit" }),
    a(1340, "Fragt og told", "profitAndLoss", { vatAccount: { vatCode: "I25" }, debitCredit: "debit" }),
    a(1345, "Fragt, momsfri", "profitAndLoss", { debitCredit: "debit" }),
    a(1350, "Vareforbrug / lagerregulering", "profitAndLoss", { debitCredit: "debit" }),
    a(1360, "Spærret konto", "profitAndLoss", { barred: true, debitCredit: "debit" }),
    a(1399, "Vareforbrug i alt", "totalFrom"),
    a(2200, "Lokaleomkostninger", "profitAndLoss", { vatAccount: { vatCode: "I25" }, debitCredit: "debit" }),
    a(5500, "Varelager", "status", { debitCredit: "debit" }),
    a(5510, "Varelager, reservedele", "status", { debitCredit: "debit" }),
    a(5600, "Debitorer", "status", { debitCredit: "debit", blockDirectEntries: true }),
    a(5610, "Debitorer, udland", "status", { debitCredit: "debit", blockDirectEntries: true }),
    a(5800, "Bank", "status", { debitCredit: "debit" }),
    a(6800, "Kreditorer", "status", { debitCredit: "credit", blockDirectEntries: true }),
    a(6810, "Kreditorer, udland", "status", { debitCredit: "credit", blockDirectEntries: true }),
    a(6900, "Salgsmoms", "status"),
    a(6910, "Købsmoms", "status", { debitCredit: "debit" }),
    a(6920, "Moms af varekøb i EU", "status"),
    a(6930, "Moms af varekøb i udlandet", "status"),
    a(6999, "PASSIVER I ALT", "sumInterval"),
  ];
}

/**
 * Accounting years 2025–2027 (the first closed). A year that does not start in January spans two
 * calendar years and is named by both: "2026/2027" for July 2026 – June 2027.
 */
function accountingYears(startMonth: number) {
  const mm = String(startMonth).padStart(2, "0");
  return [2025, 2026, 2027].map((y, i) => {
    const split = startMonth !== 1;
    const end = new Date(Date.UTC(split ? y + 1 : y, split ? startMonth - 1 : 12, 0))
      .toISOString()
      .slice(0, 10);
    return {
      year: split ? `${y}/${y + 1}` : String(y),
      fromDate: `${y}-${mm}-01`,
      toDate: end,
      closed: i === 0,
    };
  });
}

/** What 100 units of each currency cost in DKK "today": the rate e-conomic uses when none is sent. */
export const DAILY_RATES: Record<string, number> = {
  DKK: 100,
  EUR: 746.12,
  USD: 689.5,
  SEK: 64.33,
  NOK: 63.1,
  GBP: 871.25,
};

export function seedAgreement(
  agreementNumber: number,
  companyName: string,
  options: {
    customers: number;
    products: number;
    suppliers: number;
    seed: number;
    /** 7 for a July–June financial year, whose years are named "2026/2027" (_accounting-years.md). */
    yearStartMonth?: number;
  },
): Agreement {
  const r = prng(options.seed);
  // Numbered per agreement, and on purpose not as the Rackbeat demo account numbers its own (Rackbeat's
  // seed): only 1 = Domestic is documented (_vat-zones.md), and equal numbers in the two systems mean
  // nothing (economic-constraints.md, "Numbers are per system"). Product group 3 is VAT-free goods here,
  // services in Rackbeat; payment terms 1 is cash here, net 8 days there.
  const zones = [
    { vatZoneNumber: 1, name: "Domestic" },
    { vatZoneNumber: 2, name: "Abroad" },
    { vatZoneNumber: 3, name: "EU" },
    { vatZoneNumber: 4, name: "Exempt" },
  ];
  const salesAccountByZone = { Domestic: 1010, EU: 1020, Abroad: 1030, Exempt: 1040 } as const;
  const productGroups = [
    { productGroupNumber: 1, name: "Varer med moms", vatFree: false },
    { productGroupNumber: 2, name: "Reservedele", vatFree: false },
    { productGroupNumber: 3, name: "Momsfrie varer", vatFree: true },
    { productGroupNumber: 4, name: "Ydelser", vatFree: false },
  ].map(({ vatFree, ...g }) => ({
    ...g,
    accrual: undefined,
    // GET /product-groups/{n}/sales-accounts items are `{ salesAccount, vatZone }` (_product-groups.md).
    salesAccounts: zones.map((zone) => ({
      salesAccount: {
        accountNumber: vatFree ? 1040 : salesAccountByZone[zone.name as keyof typeof salesAccountByZone],
      },
      vatZone: zone,
    })),
  }));
  const agreement: Agreement = {
    agreementNumber,
    company: {
      name: companyName,
      companyIdentificationNumber: String(30000000 + (agreementNumber % 9999999)),
      vatNumber: `DK${30000000 + (agreementNumber % 9999999)}`,
      addressLine1: "Lagervej 12",
      zip: "8600",
      city: "Silkeborg",
      country: "Danmark",
      email: "bogholderi@example.dk",
      phoneNumber: "86 12 34 56",
    },
    user: {
      loginId: "demo",
      name: "Bente Bogholder",
      email: "bente@example.dk",
      language: { culture: "da-DK" },
    },
    accounts: chartOfAccounts(),
    journals: [
      {
        journalNumber: 1,
        name: "Kassekladde",
        minVoucherNumber: 1,
        maxVoucherNumber: 99999,
        nextVoucherNumber: 1,
      },
      {
        journalNumber: 2,
        name: "Leverandørfakturaer (Rackbeat)",
        entryTypeRestrictedTo: "supplierInvoice",
        minVoucherNumber: 100000,
        maxVoucherNumber: 199999,
        nextVoucherNumber: 100000,
      },
      {
        journalNumber: 3,
        name: "Lagerværdi (Rackbeat)",
        entryTypeRestrictedTo: "financeVoucher",
        minVoucherNumber: 200000,
        maxVoucherNumber: 299999,
        nextVoucherNumber: 200000,
      },
      {
        journalNumber: 4,
        name: "Debitorindbetalinger",
        entryTypeRestrictedTo: "customerPayment",
        minVoucherNumber: 300000,
        maxVoucherNumber: 399999,
        nextVoucherNumber: 300000,
      },
    ],
    vatZones: zones.map((z) => ({
      ...z,
      enabledForCustomer: true,
      enabledForSupplier: z.name !== "Exempt",
    })),
    // _vat-accounts.md: a code posts its VAT to `account`; one with a `contraAccount` (EU acquisition,
    // reverse charge) posts the same VAT back there, so the supplier is owed the net only.
    vatAccounts: [
      {
        vatCode: "U25",
        name: "Salgsmoms 25%",
        ratePercentage: 25,
        account: { accountNumber: 6900 },
        vatType: { vatTypeNumber: 1, name: "Salgsmoms" },
      },
      {
        vatCode: "I25",
        name: "Købsmoms 25%",
        ratePercentage: 25,
        account: { accountNumber: 6910 },
        vatType: { vatTypeNumber: 2, name: "Købsmoms" },
      },
      {
        vatCode: "IEUV",
        name: "Moms af varekøb i EU",
        ratePercentage: 25,
        account: { accountNumber: 6910 },
        contraAccount: { accountNumber: 6920 },
        vatType: { vatTypeNumber: 3, name: "Moms af varekøb i udlandet" },
      },
      {
        vatCode: "UEUV",
        name: "Salg af varer til EU",
        ratePercentage: 0,
        account: { accountNumber: 6900 },
        vatType: { vatTypeNumber: 1, name: "Salgsmoms" },
      },
      {
        vatCode: "IVV",
        name: "Moms af varekøb udland",
        ratePercentage: 25,
        account: { accountNumber: 6910 },
        contraAccount: { accountNumber: 6930 },
        vatType: { vatTypeNumber: 3, name: "Moms af varekøb i udlandet" },
      },
    ],
    layouts: [
      { layoutNumber: 19, name: "Standard" },
      { layoutNumber: 20, name: "Standard engelsk" },
      { layoutNumber: 21, name: "Uden priser" },
      { layoutNumber: 22, name: "Gammel layout", deleted: true },
    ],
    paymentTerms: [
      { paymentTermsNumber: 1, name: "Kontant", paymentTermsType: "net", daysOfCredit: 0 },
      { paymentTermsNumber: 2, name: "Netto 8 dage", paymentTermsType: "net", daysOfCredit: 8 },
      {
        paymentTermsNumber: 3,
        name: "Løbende måned + 30 dage",
        paymentTermsType: "invoiceMonth",
        daysOfCredit: 30,
      },
      { paymentTermsNumber: 4, name: "Netto 14 dage", paymentTermsType: "net", daysOfCredit: 14 },
      // The enum is camel case: `dueDate` (_payment-terms.md), not `duedate` as prose elsewhere spells it.
      { paymentTermsNumber: 5, name: "Forfaldsdato", paymentTermsType: "dueDate" },
    ],
    units: [
      { unitNumber: 1, name: "timer" },
      { unitNumber: 2, name: "stk." },
      { unitNumber: 3, name: "kg" },
      { unitNumber: 4, name: "m" },
      { unitNumber: 5, name: "pakke" },
    ],
    currencies: ["DKK", "EUR", "USD", "SEK", "NOK", "GBP"].map((code) => ({
      code,
      name: code,
      isoNumber: code,
    })),
    customerGroups: [
      { customerGroupNumber: 1, name: "Indenlandske kunder", account: { accountNumber: 5600 } },
      { customerGroupNumber: 2, name: "Udenlandske kunder", account: { accountNumber: 5610 } },
      { customerGroupNumber: 3, name: "EU-kunder", account: { accountNumber: 5610 } },
    ],
    supplierGroups: [
      { supplierGroupNumber: 1, name: "Indenlandske leverandører", account: { accountNumber: 6800 } },
      { supplierGroupNumber: 2, name: "Udenlandske leverandører", account: { accountNumber: 6810 } },
    ],
    productGroups,
    accountingYears: accountingYears(options.yearStartMonth ?? 1),
    employees: [{ employeeNumber: 1, name: "Bente Bogholder" }],
    paymentTypes: [
      { paymentTypeNumber: 1, name: "Ingen betaling" },
      { paymentTypeNumber: 3, name: "FIK" },
      { paymentTypeNumber: 4, name: "Bankoverførsel" },
    ],
    modules: [
      { moduleNumber: 1, name: "Lager" },
      { moduleNumber: 5, name: "Valuta" },
    ],
    customers: new Map(),
    contacts: new Map(),
    nextContactNumber: 1,
    suppliers: new Map(),
    products: new Map(),
    drafts: new Map(),
    orders: new Map(),
    nextOrderNumber: 1,
    booked: new Map(),
    entries: [],
    bookedEntries: [],
    nextDraftNumber: 1,
    nextBookedNumber: 20001,
    nextEntryNumber: 1,
    nextBookedEntryNumber: 1,
    nextBookedVoucherNumber: {},
    idempotency: new Map(),
  };

  for (let i = 1; i <= options.customers; i++) {
    const [zip, city] = r.pick(DANISH_CITIES);
    const zone = i % 10 === 0 ? 3 : i % 25 === 0 ? 2 : 1; // EU, abroad, domestic (numbers as above)
    const customerNumber = 1000 + i;
    agreement.customers.set(customerNumber, {
      customerNumber,
      name: `${r.pick(COMPANY_WORDS)} ${r.pick(COMPANY_KINDS)} ${r.pick(COMPANY_SUFFIX)}`,
      currency: zone === 1 ? "DKK" : "EUR",
      customerGroup: { customerGroupNumber: zone },
      paymentTerms: { paymentTermsNumber: r.pick([2, 3, 4]) },
      vatZone: { vatZoneNumber: zone },
      layout: { layoutNumber: zone === 1 ? 19 : 20 },
      address: `${r.pick(STREETS)} ${r.int(1, 120)}`,
      zip,
      city,
      country: zone === 1 ? "Danmark" : "Tyskland",
      corporateIdentificationNumber: String(10000000 + r.int(0, 89999999)),
      email: `ordre${i}@example.dk`,
    });
  }
  for (let i = 1; i <= options.suppliers; i++) {
    const [zip, city] = r.pick(DANISH_CITIES);
    const supplierNumber = 500 + i;
    const foreign = i % 5 === 0;
    agreement.suppliers.set(supplierNumber, {
      supplierNumber,
      name: `${r.pick(COMPANY_WORDS)} ${r.pick(COMPANY_KINDS)} Engros ${r.pick(COMPANY_SUFFIX)}`,
      currency: foreign ? "EUR" : "DKK",
      supplierGroup: { supplierGroupNumber: foreign ? 2 : 1 },
      paymentTerms: { paymentTermsNumber: 4 },
      vatZone: { vatZoneNumber: foreign ? 3 : 1 },
      address: `${r.pick(STREETS)} ${r.int(1, 120)}`,
      zip,
      city,
      country: foreign ? "Tyskland" : "Danmark",
    });
  }
  for (let i = 1; i <= options.products; i++) {
    const productNumber =
      i % 50 === 0 ? `VVS/${100 + i}` : i % 45 === 0 ? `EL ${100 + i}` : String(10000 + i);
    const costPrice = r.price(5, 800);
    agreement.products.set(productNumber, {
      productNumber,
      name: `${r.pick(PRODUCT_NOUNS)}, ${r.pick(PRODUCT_ADJ)} ${r.int(2, 120)} mm`,
      productGroup: { productGroupNumber: r.pick([1, 1, 1, 2, 4]) },
      salesPrice: Math.round(costPrice * 1.6 * 100) / 100,
      costPrice,
      recommendedPrice: Math.round(costPrice * 1.8 * 100) / 100,
      unit: { unitNumber: 2 },
      inventory: { recommendedCostPrice: costPrice, inStock: r.int(0, 500), available: r.int(0, 500) },
    });
  }
  return agreement;
}
