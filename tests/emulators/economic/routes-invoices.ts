import { Hono } from "hono";
import { collectionResponse } from "./collection";
import { type Ctx, type EconomicEnv, notFound, present, query, readObject } from "./context";
import { checkSpec, ERROR_CODES, EconomicError, Violations, type Spec } from "./errors";
import { centsToNumber, lineNetCents, percentOf } from "./money";
import { checkRef, refNumber } from "./refs";
import { DAILY_RATES, type Agreement } from "./seed";

type Obj = Record<string, unknown>;

const lineSpec: Spec = {
  lineNumber: { t: "int", min: 1 },
  sortKey: { t: "int", min: 1 },
  product: { t: "obj", fields: { productNumber: { t: "string", max: 25 } } },
  description: { t: "string", max: 2500 },
  quantity: { t: "number" },
  unitNetPrice: { t: "number", dec: 2 },
  unitCostPrice: { t: "number" },
  discountPercentage: { t: "number", min: 0, max: 100 },
  unit: { t: "obj" },
  departmentalDistribution: { t: "obj" },
  accrual: { t: "obj", fields: { startDate: { t: "date", req: true }, endDate: { t: "date", req: true } } },
};

const draftSpec: Spec = {
  date: { t: "date", req: true },
  currency: { t: "string", req: true, len: 3 },
  customer: { t: "obj", req: true },
  layout: { t: "obj", req: true },
  paymentTerms: { t: "obj", req: true },
  recipient: {
    t: "obj",
    req: true,
    fields: {
      name: { t: "string", req: true, max: 250 },
      vatZone: { t: "obj", req: true },
      address: { t: "string", max: 250 },
      city: { t: "string", max: 250 },
      zip: { t: "string", max: 50 },
      country: { t: "string", max: 50 },
      ean: { t: "string", max: 13 },
      publicEntryNumber: { t: "string", max: 40 },
      attention: { t: "obj" },
      mobilePhone: { t: "string", max: 50 },
    },
  },
  dueDate: { t: "date" },
  exchangeRate: { t: "number", max: 999_999_999_999 },
  delivery: {
    t: "obj",
    fields: {
      address: { t: "string", max: 255 },
      city: { t: "string", max: 50 },
      zip: { t: "string", max: 30 },
      country: { t: "string", max: 50 },
      deliveryTerms: { t: "string", max: 100 },
      deliveryDate: { t: "date" },
    },
  },
  deliveryLocation: { t: "obj" },
  references: {
    t: "obj",
    fields: {
      other: { t: "string", max: 250 },
      customerContact: { t: "obj" },
      salesPerson: { t: "obj" },
      vendorReference: { t: "obj" },
    },
  },
  notes: {
    t: "obj",
    fields: {
      heading: { t: "string", max: 250 },
      textLine1: { t: "string", max: 1000 },
      textLine2: { t: "string", max: 1000 },
    },
  },
  project: { t: "obj" },
  lines: { t: "arr", items: lineSpec },
};

/** Filterable (and sortable) properties of drafts, as _invoices.md lists them for GET /invoices/drafts. */
const DRAFT_FILTERABLE = [
  "currency",
  "customer.customerNumber",
  "date",
  "delivery.address",
  "delivery.city",
  "delivery.country",
  "delivery.deliveryDate",
  "delivery.deliveryTerms",
  "delivery.zip",
  "deliveryLocation.deliveryLocationNumber",
  "draftInvoiceNumber",
  "exchangeRate",
  "notes.heading",
  "notes.textLine1",
  "notes.textLine2",
  "paymentTerms.paymentTermsNumber",
  "recipient.address",
  "recipient.city",
  "recipient.country",
  "recipient.ean",
  "recipient.name",
  "recipient.publicEntryNumber",
  "recipient.zip",
  "references.customerContact.customer.customerNumber",
  "references.other",
  "references.salesPerson.employeeNumber",
  "references.vendorReference.employeeNumber",
];

/** …and of booked invoices (GET /invoices/booked): no `draftInvoiceNumber` here. */
const BOOKED_FILTERABLE = [
  "bookedInvoiceNumber",
  "currency",
  "customer.customerNumber",
  "date",
  "delivery.address",
  "delivery.city",
  "delivery.country",
  "delivery.deliveryDate",
  "delivery.deliveryTerms",
  "delivery.zip",
  "deliveryLocation.deliveryLocationNumber",
  "notes.heading",
  "notes.textLine1",
  "notes.textLine2",
  "paymentTerms.paymentTermsNumber",
  "recipient.address",
  "recipient.city",
  "recipient.country",
  "recipient.ean",
  "recipient.name",
  "recipient.publicEntryNumber",
  "recipient.vatZone.vatZoneNumber",
  "recipient.zip",
  "references.customerContact.customer.customerNumber",
  "references.other",
  "references.salesPerson.employeeNumber",
  "references.vendorReference.employeeNumber",
];

function inOpenYear(a: Agreement, date: string) {
  return a.accountingYears.some((y) => !y.closed && y.fromDate <= date && date <= y.toDate);
}

function addDays(date: string, days: number) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Validates a draft body and returns it with e-conomic's computed totals and due date. */
export function buildDraft(a: Agreement, body: Obj, existing?: Obj): Obj {
  const v = new Violations();
  const spec = existing ? { ...draftSpec, layout: { t: "obj" as const } } : draftSpec;
  checkSpec(body, spec, v);
  if (
    typeof body.currency === "string" &&
    body.currency.length === 3 &&
    !a.currencies.some((x) => x.code === body.currency)
  ) {
    v.add(["currency"], {
      errorCode: ERROR_CODES.unknownReference,
      message: `Currency '${body.currency}' not found.`,
      value: body.currency,
    });
  }
  checkRef(v, ["customer"], body.customer, "customerNumber", (n) => a.customers.has(Number(n)), "Customer");
  checkRef(
    v,
    ["layout"],
    body.layout,
    "layoutNumber",
    (n) => a.layouts.some((l) => l.layoutNumber === n && !l.deleted),
    "Layout",
  );
  checkRef(
    v,
    ["paymentTerms"],
    body.paymentTerms,
    "paymentTermsNumber",
    (n) => a.paymentTerms.some((p) => p.paymentTermsNumber === n),
    "Payment terms",
  );
  const recipient = body.recipient as Obj | undefined;
  checkRef(
    v,
    ["recipient", "vatZone"],
    recipient?.vatZone,
    "vatZoneNumber",
    (n) => a.vatZones.some((z) => z.vatZoneNumber === n),
    "VAT zone",
  );
  const customerNumber = Number(refNumber(body.customer, "customerNumber"));
  const references = body.references as Obj | undefined;
  const own = a.contacts.get(customerNumber) ?? [];
  const isOwn = (n: number | string) => own.some((x) => x.customerContactNumber === Number(n));
  checkRef(
    v,
    ["references", "customerContact"],
    references?.customerContact,
    "customerContactNumber",
    isOwn,
    "Customer contact",
  );
  checkRef(
    v,
    ["recipient", "attention"],
    recipient?.attention,
    "customerContactNumber",
    isOwn,
    "Customer contact",
  );
  checkRef(
    v,
    ["references", "salesPerson"],
    references?.salesPerson,
    "employeeNumber",
    (n) => a.employees.some((e) => e.employeeNumber === n),
    "Employee",
  );

  const terms = a.paymentTerms.find(
    (p) => p.paymentTermsNumber === refNumber(body.paymentTerms, "paymentTermsNumber"),
  );
  // dueDate is "only used if the terms of payment is of type 'duedate', in which case it is mandatory"
  // (_invoices.md); the type's value is spelled `dueDate` (_payment-terms.md).
  if (terms?.paymentTermsType === "dueDate" && body.dueDate === undefined) {
    v.add(["dueDate"], {
      errorCode: ERROR_CODES.requiredProperty,
      message: "dueDate is required for payment terms of type 'dueDate'.",
    });
  }

  const lines = Array.isArray(body.lines) ? (body.lines as Obj[]) : [];
  let missingQuantity = false;
  lines.forEach((line, i) => {
    if (!line || typeof line !== "object") return;
    if (line.product !== undefined) {
      checkRef(
        v,
        ["lines", i, "product"],
        line.product,
        "productNumber",
        (n) => a.products.has(String(n)),
        "Product",
      );
      // The annotated errors example of _introduction.md puts E04730 on the invoice, not on the line.
      if (line.quantity === undefined && !missingQuantity) {
        missingQuantity = true;
        v.add(["quantity"], {
          errorCode: ERROR_CODES.missingQuantity,
          message: "Property quantity must have a value when product is set.",
          developerHint: "Please check your request data.",
        });
      }
      if (line.description === undefined)
        v.add(["lines", i, "description"], {
          errorCode: ERROR_CODES.requiredProperty,
          message: "A line with a product must have a description.",
        });
      // STRICTER than e-conomic: the documentation is silent on a line without unitNetPrice (the real
      // service prices it from the product). The app must always send the price it means, so the
      // emulator refuses the omission loudly instead of guessing a price.
      if (line.unitNetPrice === undefined)
        v.add(["lines", i, "unitNetPrice"], {
          errorCode: ERROR_CODES.requiredProperty,
          message: "Send unitNetPrice on every line with a product (the emulator does not guess a price).",
        });
    }
    checkRef(
      v,
      ["lines", i, "unit"],
      line.unit,
      "unitNumber",
      (n) => a.units.some((u) => u.unitNumber === n),
      "Unit",
    );
    const accrual = line.accrual as Obj | undefined;
    if (
      typeof accrual?.startDate === "string" &&
      !a.accountingYears.some(
        (y) => y.fromDate <= (accrual.startDate as string) && (accrual.startDate as string) <= y.toDate,
      )
    ) {
      v.add(["lines", i, "accrual", "startDate"], {
        errorCode: ERROR_CODES.invalidValue,
        message: "accrual.startDate must fall in an accounting year.",
      });
    }
  });
  v.throwIfAny();

  const zone = Number(refNumber(recipient?.vatZone, "vatZoneNumber"));
  // VAT per line comes from the product group's sales account for the recipient's VAT zone and that
  // account's VAT code (_product-groups.md sales-accounts; _accounts.md vatAccount), so a VAT-exempt
  // group gives 0. Lines are summed per rate and VAT is rounded once per rate (the docs are silent on
  // where e-conomic rounds; the app compares totals, not a per-line VAT). A line without a product
  // carries no VAT (also unstated; the app always sends a product: the "empty line" product).
  const netByRate = new Map<number, bigint>();
  let net = 0n;
  const computedLines = lines.map((line, i) => {
    const lineNet =
      line.quantity !== undefined && line.unitNetPrice !== undefined
        ? lineNetCents(
            line.quantity as number,
            line.unitNetPrice as number,
            (line.discountPercentage as number) ?? 0,
          )
        : 0n;
    net += lineNet;
    const rate = vatRateFor(a, (line.product as Obj | undefined)?.productNumber, zone);
    netByRate.set(rate, (netByRate.get(rate) ?? 0n) + lineNet);
    return { lineNumber: i + 1, sortKey: i + 1, ...line, totalNetAmount: centsToNumber(lineNet) };
  });
  let vat = 0n;
  for (const [rate, amount] of netByRate) vat += percentOf(amount, rate);
  // exchangeRate: what 100 units of the invoice currency cost in base currency; when omitted, the day's
  // rate, or 100 for the base currency (_invoices.md, POST /invoices/drafts).
  const exchangeRate =
    (body.exchangeRate as number | undefined) ?? DAILY_RATES[body.currency as string] ?? 100;
  const inBase = (cents: bigint) => centsToNumber(percentOf(cents, exchangeRate));
  const date = body.date as string;
  return {
    ...(existing ? { layout: existing.layout } : {}),
    ...body,
    customer: { customerNumber },
    exchangeRate,
    dueDate: dueDateFor(terms, date, body.dueDate as string | undefined),
    lines: computedLines,
    netAmount: centsToNumber(net),
    vatAmount: centsToNumber(vat),
    grossAmount: centsToNumber(net + vat),
    netAmountInBaseCurrency: inBase(net),
    grossAmountInBaseCurrency: inBase(net + vat),
  };
}

/** The VAT rate (percent) of a product's line for a VAT zone: product group → sales account → VAT code. */
function vatRateFor(a: Agreement, productNumber: unknown, zone: number): number {
  if (productNumber === undefined) return 0;
  const product = a.products.get(String(productNumber));
  const groupNumber = (product?.productGroup as Obj | undefined)?.productGroupNumber;
  const group = a.productGroups.find((g) => g.productGroupNumber === groupNumber);
  const entry = group?.salesAccounts.find((x) => (x.vatZone as Obj).vatZoneNumber === zone);
  const accountNumber = (entry?.salesAccount as Obj | undefined)?.accountNumber;
  const vatCode = a.accounts.find((x) => x.accountNumber === accountNumber)?.vatAccount?.vatCode;
  const rate = a.vatAccounts.find((x) => x.vatCode === vatCode)?.ratePercentage;
  return typeof rate === "number" ? rate : 0;
}

/**
 * The due date e-conomic computes from the payment terms; a sent dueDate counts only for terms of type
 * `dueDate` (_invoices.md). invoiceMonth: the end of the invoice's month plus the days of credit.
 */
function dueDateFor(terms: Obj | undefined, date: string, sent: string | undefined): string {
  if (terms?.paymentTermsType === "dueDate") return sent as string;
  const days = Number(terms?.daysOfCredit ?? 0);
  if (terms?.paymentTermsType === "invoiceMonth") {
    const monthEnd = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 0));
    return addDays(monthEnd.toISOString().slice(0, 10), days);
  }
  return addDays(date, days);
}

export function invoiceRoutes() {
  const r = new Hono<EconomicEnv>();
  const draftSelf = (c: Ctx, n: number) => `${c.get("baseUrl")}/invoices/drafts/${n}`;
  const bookedSelf = (c: Ctx, n: number) => `${c.get("baseUrl")}/invoices/booked/${n}`;

  r.get("/invoices/drafts", (c) => {
    const items = [...c.get("agreement").drafts.values()].map((d) => ({
      ...d,
      self: draftSelf(c, d.draftInvoiceNumber),
    }));
    return c.json(
      present(
        collectionResponse(items, query(c), {
          baseUrl: c.get("baseUrl"),
          path: "/invoices/drafts",
          filterable: DRAFT_FILTERABLE,
          sortable: DRAFT_FILTERABLE,
        }),
      ),
    );
  });
  r.get("/invoices/drafts/:n", (c) => {
    const d = c.get("agreement").drafts.get(Number(c.req.param("n")));
    if (!d) notFound(`Draft invoice ${c.req.param("n")}`);
    return c.json(present({ ...d, self: draftSelf(c, d.draftInvoiceNumber) }));
  });
  r.post("/invoices/drafts", async (c) => {
    const a = c.get("agreement");
    const draft = buildDraft(a, await readObject(c));
    const draftInvoiceNumber = a.nextDraftNumber++;
    const stored = { ...draft, draftInvoiceNumber };
    a.drafts.set(draftInvoiceNumber, stored);
    c.get("state").counters.add("drafts.created");
    c.header("Location", draftSelf(c, draftInvoiceNumber));
    return c.json(present({ ...stored, self: draftSelf(c, draftInvoiceNumber) }), 201);
  });
  r.put("/invoices/drafts/:n", async (c) => {
    const a = c.get("agreement");
    const n = Number(c.req.param("n"));
    const existing = a.drafts.get(n);
    if (!existing) notFound(`Draft invoice ${n}`);
    const stored = { ...buildDraft(a, await readObject(c), existing), draftInvoiceNumber: n };
    a.drafts.set(n, stored);
    c.get("state").counters.add("drafts.updated");
    return c.json(present({ ...stored, self: draftSelf(c, n) }));
  });
  r.delete("/invoices/drafts/:n", (c) => {
    const a = c.get("agreement");
    const n = Number(c.req.param("n"));
    if (!a.drafts.delete(n)) notFound(`Draft invoice ${n}`);
    return c.json({
      message: "Deleted 1 entity.",
      deletedCount: 1,
      deletedItems: [{ draftInvoiceNumber: n, self: draftSelf(c, n) }],
    });
  });
  r.delete("/invoices/drafts", (c) => {
    const a = c.get("agreement");
    if (!query(c).get("filter")) throw new EconomicError(400, "Bulk delete requires a filter.");
    const q = new URLSearchParams(query(c));
    q.set("pagesize", "1000");
    const matched = collectionResponse([...a.drafts.values()], q, {
      baseUrl: c.get("baseUrl"),
      path: "/invoices/drafts",
      filterable: DRAFT_FILTERABLE,
    }).collection;
    for (const d of matched) a.drafts.delete(d.draftInvoiceNumber);
    return c.json({
      message: `Deleted ${matched.length} entities.`,
      deletedCount: matched.length,
      deletedItems: matched.map((d) => ({
        draftInvoiceNumber: d.draftInvoiceNumber,
        self: draftSelf(c, d.draftInvoiceNumber),
      })),
    });
  });

  const bookedView = (c: Ctx, d: Obj & { bookedInvoiceNumber: number }) => ({
    ...d,
    pdf: { self: `${bookedSelf(c, d.bookedInvoiceNumber)}/pdf` },
    sent: `${c.get("baseUrl")}/invoices/sent/${d.bookedInvoiceNumber}`,
    self: bookedSelf(c, d.bookedInvoiceNumber),
  });
  r.get("/invoices/booked", (c) => {
    const items = [...c.get("agreement").booked.values()].map((d) => bookedView(c, d));
    return c.json(
      present(
        collectionResponse(items, query(c), {
          baseUrl: c.get("baseUrl"),
          path: "/invoices/booked",
          filterable: BOOKED_FILTERABLE,
          sortable: BOOKED_FILTERABLE,
        }),
      ),
    );
  });
  r.get("/invoices/booked/:n", (c) => {
    const d = c.get("agreement").booked.get(Number(c.req.param("n")));
    if (!d) notFound(`Booked invoice ${c.req.param("n")}`);
    return c.json(present(bookedView(c, d)));
  });
  const book = async (c: Ctx, urlNumber?: number) => {
    const a = c.get("agreement");
    const body = await readObject(c);
    const v = new Violations();
    checkSpec(
      body,
      {
        draftInvoice: { t: "obj", req: true },
        bookWithNumber: { t: "int", min: 1, max: 999_999_999 },
        sendBy: { t: "string", oneOf: ["none", "ean"] },
        sentBy: { t: "string", oneOf: ["none", "ean"] },
      },
      v,
    );
    checkRef(
      v,
      ["draftInvoice"],
      body.draftInvoice,
      "draftInvoiceNumber",
      (n) => a.drafts.has(Number(n)),
      "Draft invoice",
    );
    if (urlNumber !== undefined && body.bookWithNumber !== undefined && body.bookWithNumber !== urlNumber) {
      v.add(["bookWithNumber"], {
        errorCode: ERROR_CODES.invalidValue,
        message: "bookWithNumber must match the number in the URL.",
      });
    }
    const bookWith = (body.bookWithNumber as number | undefined) ?? urlNumber;
    if (bookWith !== undefined && a.booked.has(bookWith))
      v.add(["bookWithNumber"], {
        errorCode: ERROR_CODES.invalidValue,
        message: `Invoice number ${bookWith} is already used.`,
        value: bookWith,
      });
    v.throwIfAny();
    const draftNumber = Number(refNumber(body.draftInvoice, "draftInvoiceNumber"));
    const draft = a.drafts.get(draftNumber)!;
    const customer = a.customers.get(Number((draft.customer as Obj).customerNumber));
    const problems: string[] = [];
    if (!customer) problems.push("The customer no longer exists.");
    else if (customer.barred) problems.push(`Customer ${customer.customerNumber} is barred.`);
    for (const line of (draft.lines as Obj[]) ?? []) {
      const pn = (line.product as Obj | undefined)?.productNumber as string | undefined;
      if (pn === undefined) continue;
      const product = a.products.get(pn);
      if (!product) problems.push(`Product '${pn}' no longer exists.`);
      else if (product.barred) problems.push(`Product '${pn}' is barred.`);
    }
    if (!inOpenYear(a, draft.date as string))
      problems.push(`The invoice date ${draft.date} is not in an open accounting year.`);
    const sendBy = (body.sendBy ?? body.sentBy) as string | undefined;
    if (sendBy === "ean") {
      if (!customer?.ean) problems.push("Sending by EAN requires the customer's EAN number.");
      if (!(a.contacts.get(Number(customer?.customerNumber)) ?? []).length)
        problems.push("Sending by EAN requires a contact person on the customer.");
      if (!a.company.companyIdentificationNumber)
        problems.push("Sending by EAN requires a CVR number on the agreement.");
      if (!(draft.references as Obj | undefined)?.customerContact)
        problems.push("Sending by EAN requires a customer contact on the invoice.");
    }
    if (problems.length) throw new EconomicError(400, problems.join(" "), { errors: problems });
    const bookedInvoiceNumber =
      bookWith ?? Math.max(a.nextBookedNumber, ...[...a.booked.keys()].map((k) => k + 1));
    a.nextBookedNumber = Math.max(a.nextBookedNumber, bookedInvoiceNumber + 1);
    const { draftInvoiceNumber: _d, ...rest } = draft;
    // A booked invoice carries `remainder`, `remainderInBaseCurrency` and a `sent` link; `sendBy` is an
    // instruction to the booking, not a property of the invoice (_invoices.md, GET /invoices/booked).
    const booked = {
      ...rest,
      bookedInvoiceNumber,
      remainder: draft.grossAmount,
      remainderInBaseCurrency: draft.grossAmountInBaseCurrency,
    };
    a.drafts.delete(draftNumber);
    a.booked.set(bookedInvoiceNumber, booked);
    c.get("state").counters.add("booked.created");
    return c.json(present(bookedView(c, booked)), 201);
  };
  r.post("/invoices/booked", (c) => book(c));
  r.put("/invoices/booked/:n", (c) => book(c, Number(c.req.param("n"))));
  return r;
}
