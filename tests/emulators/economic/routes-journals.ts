import { Hono } from "hono";
import { collectionResponse } from "./collection";
import { type Ctx, type EconomicEnv, notFound, present, query, readBody } from "./context";
import { checkSpec, EconomicError, errorBody, ERROR_CODES, Violations, type Spec } from "./errors";
import { FilterError, matches, parseFilter } from "./filter";
import { encodeProductNumber as encodeForSelf } from "./product-number";
import { refNumber } from "./refs";
import { bookEntries, vatInAmount } from "./booking";
import type { Agreement, Journal } from "./seed";

type Obj = Record<string, unknown>;
type Path = (string | number)[];

/** entries{…} keys of a REST voucher → the entry type a journal may be restricted to. */
const ENTRY_KINDS = {
  financeVouchers: "financeVoucher",
  supplierInvoices: "supplierInvoice",
  supplierPayments: "supplierPayment",
  customerPayments: "customerPayment",
  manualCustomerInvoices: "manualCustomerInvoice",
} as const;

/** What every entry type takes (_journals.md, POST /journals-experimental/:journalNumber/vouchers). */
const commonEntrySpec: Spec = {
  amount: { t: "number", req: true, dec: 2 },
  date: { t: "date", req: true },
  text: { t: "string", max: 250 },
  supplierInvoiceNumber: { t: "string", max: 30 },
  currency: { t: "obj", fields: { code: { t: "string", len: 3 } } },
  exchangeRate: { t: "number" },
  account: { t: "obj" },
  contraAccount: { t: "obj" },
  contraVatAccount: { t: "obj", fields: { vatCode: { t: "string", max: 5 } } },
  contraVatAmount: { t: "number", dec: 2 },
  voucher: { t: "obj", fields: { voucherNumber: { t: "int", min: 1, max: 999_999_999 } } },
  supplier: { t: "obj" },
  customer: { t: "obj" },
  dueDate: { t: "date" },
};
/**
 * Only finance vouchers have `vatAccount` (and `vatAmount`); a supplier invoice's input VAT goes in
 * `contraVatAccount`. A `vatAccount` sent on any other entry is not in its schema, and is dropped
 * unread, as e-conomic ignores unknown properties (_introduction.md).
 */
const entrySpecs: Record<string, Spec> = {
  financeVoucher: {
    ...commonEntrySpec,
    vatAccount: { t: "obj", fields: { vatCode: { t: "string", max: 5 } } },
    vatAmount: { t: "number", dec: 2 },
  },
};
const specFor = (entryType: string) => entrySpecs[entryType] ?? commonEntrySpec;

function checkAccount(a: Agreement, v: Violations, path: Path, accountNumber: unknown) {
  const account = a.accounts.find((x) => x.accountNumber === accountNumber);
  if (!account)
    return v.add(path, {
      errorCode: ERROR_CODES.unknownReference,
      message: `Account ${String(accountNumber)} not found.`,
      value: accountNumber,
    });
  if (!["profitAndLoss", "status"].includes(account.accountType))
    v.add(path, {
      errorCode: ERROR_CODES.invalidValue,
      message: `Account ${account.accountNumber} is a ${account.accountType} account and cannot be posted to.`,
    });
  else if (account.barred)
    v.add(path, {
      errorCode: ERROR_CODES.invalidValue,
      message: `Account ${account.accountNumber} is barred.`,
    });
  else if (account.blockDirectEntries)
    v.add(path, {
      errorCode: ERROR_CODES.invalidValue,
      message: `Account ${account.accountNumber} does not allow direct entries.`,
    });
}

type Normalized = {
  entryType: string;
  date: string;
  amount: number;
  accountingYear?: string;
  text?: string;
  contraVatCode?: string;
  contraVatAmount?: number;
  vatAmount?: number;
  dueDate?: string;
  exchangeRate?: number;
  accountNumber?: number;
  contraAccountNumber?: number;
  supplierNumber?: number;
  customerNumber?: number;
  supplierInvoiceNumber?: string;
  voucherNumber?: number;
  currency?: string;
  vatCode?: string;
};

/** The rules every journal entry obeys, whichever API posted it. */
function checkEntry(
  a: Agreement,
  journal: Journal,
  year: { year: string; fromDate: string; toDate: string; closed: boolean } | undefined,
  e: Normalized,
  v: Violations,
  path: Path,
  codes: { voucher: string; voucherProperty: string },
) {
  // `settings.entryTypeRestrictedTo` on the day book (_journals.md): other entry types are refused.
  if (journal.entryTypeRestrictedTo && journal.entryTypeRestrictedTo !== e.entryType) {
    v.add(path, {
      errorCode: ERROR_CODES.invalidValue,
      message: `Journal ${journal.journalNumber} '${journal.name}' only accepts entries of type ${journal.entryTypeRestrictedTo}, not ${e.entryType}.`,
    });
  }
  const entryYear = year ?? a.accountingYears.find((y) => y.fromDate <= e.date && e.date <= y.toDate);
  if (!entryYear)
    v.add([...path, "date"], {
      errorCode: ERROR_CODES.invalidValue,
      message: `No accounting year covers ${e.date}.`,
    });
  else {
    if (entryYear.closed)
      v.add([...path, "date"], {
        errorCode: ERROR_CODES.invalidValue,
        message: `Accounting year ${entryYear.year} is closed.`,
      });
    if (e.date < entryYear.fromDate || e.date > entryYear.toDate)
      v.add([...path, "date"], {
        errorCode: ERROR_CODES.invalidValue,
        message: `The date ${e.date} is outside accounting year ${entryYear.year}.`,
      });
  }
  if (
    e.voucherNumber !== undefined &&
    (e.voucherNumber < journal.minVoucherNumber || e.voucherNumber > journal.maxVoucherNumber)
  ) {
    v.add([...path, codes.voucherProperty], {
      errorCode: codes.voucher,
      message: `Voucher number ${e.voucherNumber} is outside the journal's range ${journal.minVoucherNumber}–${journal.maxVoucherNumber}.`,
    });
  }
  if (e.accountNumber !== undefined) checkAccount(a, v, [...path, "account"], e.accountNumber);
  if (e.contraAccountNumber !== undefined)
    checkAccount(a, v, [...path, "contraAccount"], e.contraAccountNumber);
  if (e.vatCode !== undefined && !a.vatAccounts.some((x) => x.vatCode === e.vatCode))
    v.add([...path, "vatAccount"], {
      errorCode: ERROR_CODES.unknownReference,
      message: "vatAccount does not exist.",
      value: e.vatCode,
    });
  if (e.contraVatCode !== undefined && !a.vatAccounts.some((x) => x.vatCode === e.contraVatCode))
    v.add([...path, "contraVatAccount"], {
      errorCode: ERROR_CODES.unknownReference,
      message: "contraVatAccount does not exist.",
      value: e.contraVatCode,
    });
  // A stated VAT is the VAT part of the entry's amount (assumed; slate only says "the amount of VAT on
  // the entry on the contra account"): same sign, smaller than the amount, and only with a VAT code.
  if (e.contraVatAmount !== undefined) {
    if (e.contraVatCode === undefined)
      v.add([...path, "contraVatAmount"], {
        errorCode: ERROR_CODES.invalidValue,
        message: "contraVatAmount needs a contraVatAccount.",
      });
    else if (
      (e.contraVatAmount !== 0 && Math.sign(e.contraVatAmount) !== Math.sign(e.amount)) ||
      Math.abs(e.contraVatAmount) > Math.abs(e.amount)
    )
      v.add([...path, "contraVatAmount"], {
        errorCode: ERROR_CODES.invalidValue,
        message: "contraVatAmount must be the VAT part of the amount (same sign, no larger).",
        value: e.contraVatAmount,
      });
  }
  if (e.currency !== undefined && !a.currencies.some((x) => x.code === e.currency))
    v.add([...path, "currency"], {
      errorCode: ERROR_CODES.unknownReference,
      message: `Currency ${e.currency} not found.`,
    });
  switch (e.entryType) {
    case "supplierInvoice":
    case "supplierPayment":
      if (e.supplierNumber === undefined && e.contraAccountNumber === undefined)
        v.add(path, {
          errorCode: ERROR_CODES.missingReference,
          message: "A supplier entry needs a supplier or a contra account.",
        });
      if (e.supplierNumber !== undefined && !a.suppliers.has(e.supplierNumber))
        v.add([...path, "supplier"], {
          errorCode: ERROR_CODES.unknownReference,
          message: `Supplier ${e.supplierNumber} not found.`,
        });
      break;
    case "customerPayment":
    case "manualCustomerInvoice":
      if (e.customerNumber === undefined && e.contraAccountNumber === undefined)
        v.add(path, {
          errorCode: ERROR_CODES.missingReference,
          message: "A customer entry needs a customer or a contra account.",
        });
      if (e.customerNumber !== undefined && !a.customers.has(e.customerNumber))
        v.add([...path, "customer"], {
          errorCode: ERROR_CODES.unknownReference,
          message: `Customer ${e.customerNumber} not found.`,
        });
      break;
    default:
      if (e.accountNumber === undefined && e.contraAccountNumber === undefined)
        v.add(path, {
          errorCode: ERROR_CODES.missingReference,
          message: "A finance voucher needs an account or a contra account.",
        });
  }
}

function findJournal(a: Agreement, n: unknown): Journal {
  const journal = a.journals.find((j) => j.journalNumber === Number(n));
  if (!journal) notFound(`Journal ${String(n)}`);
  return journal;
}

function store(a: Agreement, journal: Journal, e: Normalized & { voucherNumber: number }, source: string) {
  const entry = {
    ...e,
    // What e-conomic takes out of the amount as VAT when the entry does not state it (booking.ts).
    ...(e.contraVatCode !== undefined && e.contraVatAmount === undefined
      ? { contraVatAmount: vatInAmount(a, e.contraVatCode, e.amount) }
      : {}),
    entryNumber: a.nextEntryNumber++,
    journalNumber: journal.journalNumber,
    source,
  };
  a.entries.push(entry);
  return entry;
}

/** GET /journals/{n}/entries: filterable and sortable on these only (_journals.md). */
const ENTRY_FILTERABLE = [
  "amount",
  "amountDefaultCurrency",
  "contraAccount.accountNumber",
  "contraVatAccount.vatCode",
  "contraVatAmount",
  "currency.code",
  "date",
  "employee.employeeNumber",
  "entryType",
  "exchangeRate",
  "journalEntryNumber",
  "text",
  "voucher.voucherNumber",
];

/** An entry as e-conomic shows it: references as objects with self links, its voucher, its type. */
function presentEntry(c: Ctx, e: Agreement["entries"][number]): Obj {
  const base = c.get("baseUrl");
  const n = e as Agreement["entries"][number] & Normalized;
  return {
    journalEntryNumber: n.entryNumber,
    entryType: n.entryType,
    amount: n.amount,
    date: n.date,
    ...(n.text !== undefined ? { text: n.text } : {}),
    ...(n.accountNumber !== undefined
      ? { account: { accountNumber: n.accountNumber, self: `${base}/accounts/${n.accountNumber}` } }
      : {}),
    ...(n.contraAccountNumber !== undefined
      ? {
          contraAccount: {
            accountNumber: n.contraAccountNumber,
            self: `${base}/accounts/${n.contraAccountNumber}`,
          },
        }
      : {}),
    ...(n.supplierNumber !== undefined
      ? { supplier: { supplierNumber: n.supplierNumber, self: `${base}/suppliers/${n.supplierNumber}` } }
      : {}),
    ...(n.customerNumber !== undefined
      ? { customer: { customerNumber: n.customerNumber, self: `${base}/customers/${n.customerNumber}` } }
      : {}),
    ...(n.supplierInvoiceNumber !== undefined ? { supplierInvoiceNumber: n.supplierInvoiceNumber } : {}),
    ...(n.dueDate !== undefined ? { dueDate: n.dueDate } : {}),
    currency: { code: n.currency ?? "DKK", self: `${base}/currencies/${n.currency ?? "DKK"}` },
    ...(n.exchangeRate !== undefined ? { exchangeRate: n.exchangeRate } : {}),
    ...(n.vatCode !== undefined
      ? { vatAccount: { vatCode: n.vatCode, self: `${base}/vat-accounts/${n.vatCode}` } }
      : {}),
    ...(n.vatAmount !== undefined ? { vatAmount: n.vatAmount } : {}),
    ...(n.contraVatCode !== undefined
      ? { contraVatAccount: { vatCode: n.contraVatCode, self: `${base}/vat-accounts/${n.contraVatCode}` } }
      : {}),
    ...(n.contraVatAmount !== undefined ? { contraVatAmount: n.contraVatAmount } : {}),
    voucher: {
      voucherNumber: n.voucherNumber,
      ...(n.accountingYear ? { accountingYear: { year: n.accountingYear } } : {}),
    },
    journal: { journalNumber: n.journalNumber, self: `${base}/journals/${n.journalNumber}` },
    self: `${base}/journals/${n.journalNumber}/entries/${n.entryNumber}`,
  };
}

export function journalRoutes() {
  const r = new Hono<EconomicEnv>();

  // Legacy REST: POST /journals/{n}/vouchers (2019 docs: /journals-experimental). One voucher or an array.
  for (const prefix of ["/journals", "/journals-experimental"]) {
    r.post(`${prefix}/:n/vouchers`, async (c) => {
      const a = c.get("agreement");
      const journal = findJournal(a, c.req.param("n"));
      const raw = await readBody(c);
      const bulk = Array.isArray(raw);
      const vouchers = (bulk ? raw : [raw]) as Obj[];
      const v = new Violations();
      const plan: { e: Normalized; key: string; voucherIndex: number }[] = [];
      const voucherNumbers: (number | undefined)[] = [];
      vouchers.forEach((voucher, vi) => {
        // Errors on a bulk body mirror it: an array at the root, each item with its arrayIndex.
        const base: Path = bulk ? [vi] : [];
        if (!voucher || typeof voucher !== "object")
          return v.add(base, {
            errorCode: ERROR_CODES.invalidValue,
            message: "A voucher must be an object.",
          });
        checkSpec(
          voucher,
          {
            accountingYear: { t: "obj", req: true, fields: { year: { t: "string", req: true } } },
            journal: { t: "obj" },
            entries: { t: "obj", req: true },
            voucherNumber: { t: "int", min: 1, max: 999_999_999 },
          },
          v,
          base,
        );
        const yearName = (voucher.accountingYear as Obj | undefined)?.year;
        const year = a.accountingYears.find((y) => y.year === yearName);
        if (typeof yearName === "string" && !year)
          v.add([...base, "accountingYear"], {
            errorCode: ERROR_CODES.unknownReference,
            message: "accountingYear does not exist.",
            value: yearName,
          });
        const j = (voucher.journal as Obj | undefined)?.journalNumber;
        if (j !== undefined && j !== journal.journalNumber)
          v.add([...base, "journal"], {
            errorCode: ERROR_CODES.invalidValue,
            message: "journal.journalNumber must match the URL.",
          });
        // A voucher-level voucherNumber (with the accounting year, the voucher's identity) is honoured and
        // must lie in the day book's range (`settings.voucherNumbers`).
        const voucherNumber = typeof voucher.voucherNumber === "number" ? voucher.voucherNumber : undefined;
        voucherNumbers[vi] = voucherNumber;
        if (
          voucherNumber !== undefined &&
          (voucherNumber < journal.minVoucherNumber || voucherNumber > journal.maxVoucherNumber)
        )
          v.add([...base, "voucherNumber"], {
            errorCode: ERROR_CODES.invalidValue,
            message: `Voucher number ${voucherNumber} is outside the journal's range ${journal.minVoucherNumber}–${journal.maxVoucherNumber}.`,
            value: voucherNumber,
          });
        const entries = (voucher.entries ?? {}) as Record<string, Obj[]>;
        for (const [key, type] of Object.entries(ENTRY_KINDS)) {
          const list = entries[key];
          if (list === undefined) continue;
          if (!Array.isArray(list)) {
            v.add([...base, "entries", key], {
              errorCode: ERROR_CODES.invalidValue,
              message: `entries.${key} must be an array.`,
            });
            continue;
          }
          list.forEach((entry, i) => {
            const path: Path = [...base, "entries", key, i];
            checkSpec(entry, specFor(type), v, path);
            const e: Normalized = {
              entryType: type,
              date: entry.date as string,
              amount: entry.amount as number,
              accountingYear: yearName as string | undefined,
              text: entry.text as string | undefined,
              accountNumber: refNumber(entry.account, "accountNumber") as number | undefined,
              contraAccountNumber: refNumber(entry.contraAccount, "accountNumber") as number | undefined,
              supplierNumber: refNumber(entry.supplier, "supplierNumber") as number | undefined,
              customerNumber: refNumber(entry.customer, "customerNumber") as number | undefined,
              supplierInvoiceNumber: entry.supplierInvoiceNumber as string | undefined,
              voucherNumber:
                ((entry.voucher as Obj | undefined)?.voucherNumber as number | undefined) ?? voucherNumber,
              currency: (entry.currency as Obj | undefined)?.code as string | undefined,
              exchangeRate: entry.exchangeRate as number | undefined,
              dueDate: entry.dueDate as string | undefined,
              contraVatCode: (entry.contraVatAccount as Obj | undefined)?.vatCode as string | undefined,
              contraVatAmount: entry.contraVatAmount as number | undefined,
              ...(type === "financeVoucher"
                ? {
                    vatCode: (entry.vatAccount as Obj | undefined)?.vatCode as string | undefined,
                    vatAmount: entry.vatAmount as number | undefined,
                  }
                : {}),
            };
            if (typeof e.date === "string" && typeof e.amount === "number") {
              checkEntry(a, journal, year, e, v, path, {
                voucher: ERROR_CODES.invalidValue,
                voucherProperty: "voucher",
              });
              plan.push({ e, key, voucherIndex: vi });
            }
          });
        }
      });
      v.throwIfAny();
      const created = vouchers.map((voucher, vi) => {
        const voucherNumber = voucherNumbers[vi] ?? journal.nextVoucherNumber++;
        const year = (voucher.accountingYear as Obj).year as string;
        const grouped: Record<string, Obj[]> = {};
        for (const p of plan.filter((x) => x.voucherIndex === vi)) {
          const stored = store(
            a,
            journal,
            { ...p.e, voucherNumber: p.e.voucherNumber ?? voucherNumber },
            "rest",
          );
          (grouped[p.key] ??= []).push(presentEntry(c, stored));
        }
        const entries = Object.values(grouped).flat();
        c.get("state").counters.add("vouchers.created");
        c.get("state").counters.add("entries.created", entries.length);
        // The answer mirrors the request: entries grouped by type, each with its objects and voucher.
        return {
          accountingYear: { year, self: `${c.get("baseUrl")}/accounting-years/${encodeForSelf(year)}` },
          journal: {
            journalNumber: journal.journalNumber,
            self: `${c.get("baseUrl")}/journals/${journal.journalNumber}`,
          },
          voucherNumber,
          entries: grouped,
          self: `${c.get("baseUrl")}/journals/${journal.journalNumber}/vouchers/${encodeForSelf(year)}-${voucherNumber}`,
        };
      });
      return c.json(present(created), 201);
    });
    r.get(`${prefix}/:n/entries`, (c) => {
      const a = c.get("agreement");
      const journal = findJournal(a, c.req.param("n"));
      const items = a.entries
        .filter((e) => e.journalNumber === journal.journalNumber)
        .map((e) => presentEntry(c, e));
      return c.json(
        present(
          collectionResponse(items, query(c), {
            baseUrl: c.get("baseUrl"),
            path: `/journals/${journal.journalNumber}/entries`,
            filterable: ENTRY_FILTERABLE,
            sortable: ENTRY_FILTERABLE,
          }),
        ),
      );
    });
  }

  // Journals OpenAPI: draft entries (Idempotency-Key is honoured for every write, idempotency.ts).
  const createDraftEntry = async (c: Ctx, journalNumberFromUrl?: string) => {
    const a = c.get("agreement");
    const body = (await readBody(c)) as Obj;
    const v = new Violations();
    checkSpec(
      body,
      {
        journalNumber: { t: "int", req: journalNumberFromUrl === undefined },
        entryType: { t: "string", oneOf: Object.values(ENTRY_KINDS) },
        date: { t: "date", req: true },
        amount: { t: "number", req: true, dec: 2 },
        text: { t: "string", max: 250 },
        accountNumber: { t: "int" },
        contraAccountNumber: { t: "int" },
        supplierNumber: { t: "int" },
        customerNumber: { t: "int" },
        supplierInvoiceNumber: { t: "string", max: 30 },
        voucherNumber: { t: "int", min: 0, max: 999_999_999 },
        currencyCode: { t: "string", len: 3 },
        vatCode: { t: "string", max: 5 },
      },
      v,
    );
    v.throwFlatIfAny();
    const journal = findJournal(a, journalNumberFromUrl ?? body.journalNumber);
    const e: Normalized = {
      entryType: (body.entryType as string | undefined) ?? "financeVoucher",
      date: body.date as string,
      amount: body.amount as number,
      text: body.text as string | undefined,
      accountNumber: body.accountNumber as number | undefined,
      contraAccountNumber: body.contraAccountNumber as number | undefined,
      supplierNumber: body.supplierNumber as number | undefined,
      customerNumber: body.customerNumber as number | undefined,
      supplierInvoiceNumber: body.supplierInvoiceNumber as string | undefined,
      voucherNumber: body.voucherNumber as number | undefined,
      currency: body.currencyCode as string | undefined,
      vatCode: body.vatCode as string | undefined,
    };
    checkEntry(a, journal, undefined, e, v, [], {
      voucher: "JournalEntryVoucherNumberNotWithinBoundaries",
      voucherProperty: "voucherNumber",
    });
    v.throwFlatIfAny();
    const entry = store(
      a,
      journal,
      { ...e, voucherNumber: e.voucherNumber ?? journal.nextVoucherNumber++ },
      "openapi",
    );
    c.get("state").counters.add("entries.created");
    return c.json(present({ ...entry, journalNumber: journal.journalNumber }), 201);
  };
  r.post("/journalsapi/:version/journals/:n/draft-entries", (c) => createDraftEntry(c, c.req.param("n")));
  r.post("/journalsapi/:version/draft-entries", (c) => createDraftEntry(c));
  r.get("/journalsapi/:version/draft-entries", (c) => {
    const a = c.get("agreement");
    let items = [...a.entries];
    const filter = query(c).get("filter");
    if (filter) {
      try {
        const node = parseFilter(filter);
        items = items.filter((x) => matches(node, x));
      } catch (error) {
        if (error instanceof FilterError) throw new EconomicError(400, error.message);
        throw error;
      }
    }
    const start = Number(query(c).get("cursor") ?? 0);
    const page = items.slice(start, start + 1000);
    return c.json(
      present({ items: page, ...(start + 1000 < items.length ? { cursor: String(start + 1000) } : {}) }),
    );
  });
  r.post("/journalsapi/:version/journals/:n/bookdraftentries", async (c) => {
    const a = c.get("agreement");
    const journal = findJournal(a, c.req.param("n"));
    const body = await readBody(c);
    if (!Array.isArray(body) || body.some((x) => !Number.isInteger(x)))
      throw new EconomicError(400, "The body must be an array of entry numbers.");
    const missing = body.filter(
      (n) => !a.entries.some((e) => e.entryNumber === n && e.journalNumber === journal.journalNumber),
    );
    if (missing.length)
      return c.json(
        errorBody(
          400,
          `Entries ${missing.join(", ")} are not draft entries in journal ${journal.journalNumber}.`,
        ),
        400,
      );
    bookEntries(a, body as number[]);
    c.get("state").counters.add("entries.booked", body.length);
    return c.json({ booked: body });
  });
  return r;
}
