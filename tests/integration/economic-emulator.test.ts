import { beforeEach, describe, expect, it } from "vitest";
import { encodeProductNumber } from "@/lib/economic/product-number";
import { economicHeaders, withEmulators } from "@/tests/helpers/emulators";

const emulators = withEmulators({ economic: { seed: { products: 2500 } } });
const AGREEMENT = 700001;
let grant: string;
let url: string;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...economicHeaders(grant), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

/** The list of error codes at a property path in e-conomic's mirrored `errors` object. */
function codesAt(errors: unknown, path: (string | number)[]): string[] {
  let node = errors as Record<string, unknown> | undefined;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (typeof key === "number") {
      node = (node as unknown as { arrayIndex: number }[] | undefined)?.find((x) => x.arrayIndex === key) as
        Record<string, unknown> | undefined;
    } else node = node?.[key] as Record<string, unknown> | undefined;
  }
  return ((node?.errors as { errorCode: string }[] | undefined) ?? []).map((e) => e.errorCode);
}

const customer = (extra: Record<string, unknown> = {}) => ({
  name: "Test Kunde ApS",
  currency: "DKK",
  customerGroup: { customerGroupNumber: 1 },
  paymentTerms: { paymentTermsNumber: 2 },
  vatZone: { vatZoneNumber: 1 },
  ...extra,
});
const draft = (extra: Record<string, unknown> = {}) => ({
  date: "2026-11-02",
  currency: "DKK",
  customer: { customerNumber: 1001 },
  layout: { layoutNumber: 19 },
  paymentTerms: { paymentTermsNumber: 2 },
  recipient: { name: "Test Kunde ApS", vatZone: { vatZoneNumber: 1 } },
  lines: [{ product: { productNumber: "10001" }, description: "Skrue", quantity: 2, unitNetPrice: 12.5 }],
  ...extra,
});

beforeEach(async () => {
  const e = emulators();
  e.economic.state.reset();
  url = e.economic.server.url;
  grant = e.economic.state.issueGrant(AGREEMENT).token;
});

describe("authentication", () => {
  it("answers GET /self for a valid token pair", async () => {
    const res = await call("GET", "/self");
    expect(res.status).toBe(200);
    expect(res.json.agreementNumber).toBe(AGREEMENT);
    expect(res.json.company.name).toBe("Nordlys Engros ApS");
  });
  it("rejects a bad grant token, a bad secret and a revoked grant with 401 E02250", async () => {
    const bad = await call("GET", "/self", undefined, { "X-AgreementGrantToken": "nope" });
    expect(bad.status).toBe(401);
    expect(bad.json.errorCode).toBe("E02250");
    const badSecret = await call("GET", "/self", undefined, { "X-AppSecretToken": "other" });
    expect(badSecret.status).toBe(401);
    await fetch(`${url}/__control/revoke`, { method: "POST", body: JSON.stringify({ token: grant }) });
    expect((await call("GET", "/customers")).status).toBe(401);
  });
  it("requires JSON on writes and refuses PATCH", async () => {
    expect(
      (await call("POST", "/customers", JSON.stringify(customer()), { "Content-Type": "text/plain" })).status,
    ).toBe(415);
    expect((await call("PATCH", "/customers/1001", { name: "x" })).status).toBe(405);
  });
});

describe("documented validation", () => {
  it("rejects null anywhere with E00500", async () => {
    const res = await call("POST", "/customers", customer({ email: null }));
    expect(res.status).toBe(400);
    expect(codesAt(res.json.errors, ["email"])).toContain("E00500");
    expect(res.json).toMatchObject({
      message: expect.any(String),
      developerHint: expect.any(String),
      logId: expect.any(String),
      httpStatusCode: 400,
      logTime: expect.any(String),
    });
  });
  it("names every missing required customer property", async () => {
    const res = await call("POST", "/customers", {});
    expect(res.status).toBe(400);
    for (const field of ["currency", "customerGroup", "name", "paymentTerms", "vatZone"])
      expect(codesAt(res.json.errors, [field]).length).toBe(1);
  });
  it("enforces maximum lengths and exact lengths", async () => {
    const res = await call(
      "POST",
      "/customers",
      customer({ name: "x".repeat(256), city: "y".repeat(51), pNumber: "123" }),
    );
    expect(res.status).toBe(400);
    expect(codesAt(res.json.errors, ["name"]).length).toBe(1);
    expect(codesAt(res.json.errors, ["city"]).length).toBe(1);
    expect(codesAt(res.json.errors, ["pNumber"]).length).toBe(1);
    const supplier = await call("POST", "/suppliers", {
      name: "Lev",
      currency: "DKK",
      paymentTerms: { paymentTermsNumber: 2 },
      supplierGroup: { supplierGroupNumber: 1 },
      vatZone: { vatZoneNumber: 1 },
      zip: "12345678901",
      email: "e".repeat(101),
      phone: "1".repeat(21),
    });
    expect(supplier.status).toBe(400);
    for (const field of ["zip", "email", "phone"])
      expect(codesAt(supplier.json.errors, [field]).length).toBe(1);
  });
  it("rejects a reference with neither number nor self (E04500) and an unknown one (E06000)", async () => {
    const res = await call(
      "POST",
      "/customers",
      customer({ customerGroup: {}, paymentTerms: { paymentTermsNumber: 99 } }),
    );
    expect(codesAt(res.json.errors, ["customerGroup"])).toContain("E04500");
    expect(codesAt(res.json.errors, ["paymentTerms"])).toContain("E06000");
    const bySelf = await call(
      "POST",
      "/customers",
      customer({ customerGroup: { self: `${url}/customer-groups/2` } }),
    );
    expect(bySelf.status).toBe(201);
  });
  it("refuses a VAT zone not enabled for suppliers and a deleted layout", async () => {
    const supplier = await call("POST", "/suppliers", {
      name: "Lev",
      currency: "DKK",
      paymentTerms: { paymentTermsNumber: 2 },
      supplierGroup: { supplierGroupNumber: 1 },
      vatZone: { vatZoneNumber: 4 },
    });
    expect(codesAt(supplier.json.errors, ["vatZone"])).toContain("E06000");
    const cust = await call("POST", "/customers", customer({ layout: { layoutNumber: 22 } }));
    expect(codesAt(cust.json.errors, ["layout"])).toContain("E06000");
  });
  it("rejects more than two decimals on unitNetPrice with E04740 at the line's arrayIndex", async () => {
    const res = await call(
      "POST",
      "/invoices/drafts",
      draft({
        lines: [
          { description: "ok", quantity: 1, unitNetPrice: 1 },
          { product: { productNumber: "10001" }, description: "x", quantity: 1, unitNetPrice: 10.005 },
        ],
      }),
    );
    expect(res.status).toBe(400);
    expect(codesAt(res.json.errors, ["lines", 1, "unitNetPrice"])).toEqual(["E04740"]);
    expect(codesAt(res.json.errors, ["lines", 0, "unitNetPrice"])).toEqual([]);
  });
  it("requires quantity (E04730) and description on a product line, and a known product", async () => {
    const res = await call(
      "POST",
      "/invoices/drafts",
      draft({
        lines: [
          { product: { productNumber: "10001" }, unitNetPrice: 1 },
          { product: { productNumber: "NOPE" }, description: "x", quantity: 1 },
        ],
      }),
    );
    // E04730 sits on the invoice, as in the annotated example of _introduction.md.
    expect(codesAt(res.json.errors, ["quantity"])).toEqual(["E04730"]);
    expect(codesAt(res.json.errors, ["lines", 0, "description"]).length).toBe(1);
    expect(codesAt(res.json.errors, ["lines", 1, "product"])).toEqual(["E06000"]);
  });
  it("requires the draft's recipient.name and recipient.vatZone, and dueDate for due-date terms", async () => {
    const res = await call(
      "POST",
      "/invoices/drafts",
      draft({ recipient: { address: "x" }, paymentTerms: { paymentTermsNumber: 5 } }),
    );
    expect(codesAt(res.json.errors, ["recipient", "name"]).length).toBe(1);
    expect(codesAt(res.json.errors, ["recipient", "vatZone"]).length).toBe(1);
    expect(codesAt(res.json.errors, ["dueDate"]).length).toBe(1);
    const ean = await call(
      "POST",
      "/invoices/drafts",
      draft({ recipient: { name: "x", vatZone: { vatZoneNumber: 1 }, ean: "12345678901234" } }),
    );
    expect(codesAt(ean.json.errors, ["recipient", "ean"]).length).toBe(1);
  });
  it("requires the Inventory module's recommendedCostPrice and limits productNumber to 25 characters", async () => {
    const res = await call("POST", "/products", {
      productNumber: "x".repeat(26),
      name: "P",
      productGroup: { productGroupNumber: 1 },
    });
    expect(codesAt(res.json.errors, ["productNumber"]).length).toBe(1);
    expect(codesAt(res.json.errors, ["inventory", "recommendedCostPrice"]).length).toBe(1);
  });
  it("computes totals exactly: 25 % VAT in zone 1, none elsewhere", async () => {
    const res = await call(
      "POST",
      "/invoices/drafts",
      draft({
        lines: [
          {
            product: { productNumber: "10001" },
            description: "a",
            quantity: 3,
            unitNetPrice: 10.01,
            discountPercentage: 10,
          },
          { description: "text line" },
        ],
      }),
    );
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      netAmount: 27.03,
      vatAmount: 6.76,
      grossAmount: 33.79,
      dueDate: "2026-11-10",
    });
    const eu = await call(
      "POST",
      "/invoices/drafts",
      draft({ recipient: { name: "EU", vatZone: { vatZoneNumber: 2 } } }),
    );
    expect(eu.json).toMatchObject({ netAmount: 25, vatAmount: 0, grossAmount: 25 });
  });
});

describe("contacts", () => {
  it("creates a contact (name required, lengths enforced) and accepts only the customer's own contacts", async () => {
    expect(
      codesAt((await call("POST", "/customers/1001/contacts", { email: "x@example.dk" })).json.errors, [
        "name",
      ]).length,
    ).toBe(1);
    expect(
      codesAt(
        (await call("POST", "/customers/1001/contacts", { name: "n", notes: "x".repeat(2001) })).json.errors,
        ["notes"],
      ).length,
    ).toBe(1);
    const mine = await call("POST", "/customers/1001/contacts", {
      name: "Karen Indkøb",
      email: "karen@example.dk",
    });
    expect(mine.status).toBe(201);
    const theirs = await call("POST", "/customers/1002/contacts", { name: "Other" });
    const customer = (await call("GET", "/customers/1001")).json;
    const { self: _self, ...body } = customer;
    expect(
      (
        await call("PUT", "/customers/1001", {
          ...body,
          attention: { customerContactNumber: mine.json.customerContactNumber },
        })
      ).status,
    ).toBe(200);
    const wrong = await call("PUT", "/customers/1001", {
      ...body,
      attention: { customerContactNumber: theirs.json.customerContactNumber },
    });
    expect(codesAt(wrong.json.errors, ["attention"])).toEqual(["E06000"]);
    const draftWrong = await call(
      "POST",
      "/invoices/drafts",
      draft({
        references: { customerContact: { customerContactNumber: theirs.json.customerContactNumber } },
      }),
    );
    expect(codesAt(draftWrong.json.errors, ["references", "customerContact"])).toEqual(["E06000"]);
    expect((await call("GET", "/customers/1001/contacts")).json.collection).toHaveLength(1);
  });
  it("books with sendBy ean when the customer has an EAN and a contact and the invoice names the contact", async () => {
    const customer = (await call("GET", "/customers/1001")).json;
    const { self: _self, ...body } = customer;
    await call("PUT", "/customers/1001", { ...body, ean: "5790001234567" });
    const contact = await call("POST", "/customers/1001/contacts", { name: "Karen Indkøb" });
    const d = await call(
      "POST",
      "/invoices/drafts",
      draft({
        recipient: { name: "Test", vatZone: { vatZoneNumber: 1 }, ean: "5790001234567" },
        references: { customerContact: { customerContactNumber: contact.json.customerContactNumber } },
      }),
    );
    const booked = await call("POST", "/invoices/booked", {
      draftInvoice: { draftInvoiceNumber: d.json.draftInvoiceNumber },
      sendBy: "ean",
    });
    expect(booked.status).toBe(201);
    // sendBy instructs the booking; the booked invoice carries a `sent` link instead (_invoices.md).
    expect(booked.json.sendBy).toBeUndefined();
    expect(booked.json.sent).toMatch(/\/invoices\/sent\//);
  });
});

describe("collections", () => {
  it("pages 2,500 products with pagesize=1000 and returns each exactly once", async () => {
    const seen: string[] = [];
    let next: string | undefined = "/products?pagesize=1000&skippages=0";
    let pages = 0;
    while (next) {
      const res = await call("GET", next.replace(url, ""));
      expect(res.status).toBe(200);
      seen.push(...res.json.collection.map((p: { productNumber: string }) => p.productNumber));
      expect(res.json.pagination.maxPageSizeAllowed).toBe(1000);
      next = res.json.pagination.nextPage;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen.length).toBe(2500);
    expect(new Set(seen).size).toBe(2500);
  });
  it("refuses a page size above 1000", async () => {
    expect((await call("GET", "/products?pagesize=1001")).status).toBe(400);
  });
  it("filters drafts on references.other, and refuses filters on other properties", async () => {
    await call("POST", "/invoices/drafts", draft({ references: { other: "rackbeat:invoice:10042" } }));
    await call("POST", "/invoices/drafts", draft({ references: { other: "rackbeat:invoice:10043" } }));
    const res = await call(
      "GET",
      `/invoices/drafts?filter=${encodeURIComponent("references.other$eq:rackbeat:invoice:10042")}`,
    );
    expect(res.status).toBe(200);
    expect(res.json.collection).toHaveLength(1);
    expect(res.json.collection[0].references.other).toBe("rackbeat:invoice:10042");
    const like = await call(
      "GET",
      `/invoices/drafts?filter=${encodeURIComponent("references.other$like:rackbeat*")}`,
    );
    expect(like.json.collection).toHaveLength(2);
    const refused = await call("GET", `/invoices/drafts?filter=${encodeURIComponent("netAmount$gt:1")}`);
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0]).toMatch(/Filtering is not allowed/);
  });
  it("combines $and/$or with parentheses, and refuses unescaped special characters", async () => {
    const res = await call(
      "GET",
      `/customers?pagesize=1000&filter=${encodeURIComponent("(customerNumber$eq:1001$or:customerNumber$eq:1002)$and:currency$eq:dkk")}`,
    );
    expect(res.json.collection.map((c: { customerNumber: number }) => c.customerNumber).sort()).toEqual([
      1001, 1002,
    ]);
    expect((await call("GET", `/customers?filter=${encodeURIComponent("name$eq:A,B")}`)).status).toBe(400);
    const inList = await call(
      "GET",
      `/customers?filter=${encodeURIComponent("customerNumber$in:[1003,1004,1005]")}`,
    );
    expect(inList.json.collection).toHaveLength(3);
  });
  it("sorts ascending and descending", async () => {
    const res = await call("GET", "/customers?sort=-customerNumber&pagesize=3");
    expect(res.json.collection.map((c: { customerNumber: number }) => c.customerNumber)).toEqual([
      1300, 1299, 1298,
    ]);
  });
});

describe("products by number", () => {
  it("reads, replaces and deletes a product whose number contains '/' and spaces, via e-conomic's URL scheme", async () => {
    const productNumber = "VVS/1 0_a";
    expect(
      (
        await call("POST", "/products", {
          productNumber,
          name: "Rør",
          productGroup: { productGroupNumber: 1 },
          inventory: { recommendedCostPrice: 10 },
        })
      ).status,
    ).toBe(201);
    const path = `/products/${encodeProductNumber(productNumber)}`;
    expect((await call("GET", path)).json.productNumber).toBe(productNumber);
    expect((await call("GET", `/products/${encodeURIComponent(productNumber)}`)).status).toBe(404);
    const put = await call("PUT", path, {
      productNumber,
      name: "Rør, nyt navn",
      productGroup: { productGroupNumber: 1 },
      inventory: { recommendedCostPrice: 11, inStock: 999 },
    });
    expect(put.status).toBe(200);
    expect(put.json.inventory.inStock).toBe(0);
    expect((await call("DELETE", path)).status).toBe(204);
  });
  it("ignores costPrice when the Inventory module is on", async () => {
    const created = await call("POST", "/products", {
      productNumber: "KOST-1",
      name: "P",
      productGroup: { productGroupNumber: 1 },
      costPrice: 99,
      inventory: { recommendedCostPrice: 10 },
    });
    expect(created.status).toBe(201);
    expect(created.json.costPrice).toBeUndefined();
  });
  it("refuses to delete a product that is on an invoice", async () => {
    await call("POST", "/invoices/drafts", draft());
    expect((await call("DELETE", "/products/10001")).status).toBe(400);
  });
});

describe("booking", () => {
  it("books a draft with a chosen number, and refuses that number twice", async () => {
    const d1 = await call("POST", "/invoices/drafts", draft({ references: { other: "rb:1" } }));
    const booked = await call("POST", "/invoices/booked", {
      draftInvoice: { draftInvoiceNumber: d1.json.draftInvoiceNumber },
      bookWithNumber: 10042,
      sendBy: "none",
    });
    expect(booked.status).toBe(201);
    expect(booked.json.bookedInvoiceNumber).toBe(10042);
    expect((await call("GET", `/invoices/drafts/${d1.json.draftInvoiceNumber}`)).status).toBe(404);
    const found = await call(
      "GET",
      `/invoices/booked?filter=${encodeURIComponent("references.other$eq:rb:1")}`,
    );
    expect(found.json.collection).toHaveLength(1);
    const d2 = await call("POST", "/invoices/drafts", draft());
    const again = await call("POST", "/invoices/booked", {
      draftInvoice: { draftInvoiceNumber: d2.json.draftInvoiceNumber },
      bookWithNumber: 10042,
    });
    expect(again.status).toBe(400);
  });
  it("refuses e-mail as sendBy, a closed accounting year and EAN without the customer's EAN", async () => {
    const d = await call("POST", "/invoices/drafts", draft());
    expect(
      (
        await call("POST", "/invoices/booked", {
          draftInvoice: { draftInvoiceNumber: d.json.draftInvoiceNumber },
          sendBy: "email",
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call("POST", "/invoices/booked", {
          draftInvoice: { draftInvoiceNumber: d.json.draftInvoiceNumber },
          sendBy: "ean",
        })
      ).status,
    ).toBe(400);
    const old = await call("POST", "/invoices/drafts", draft({ date: "2025-06-01" }));
    const res = await call("POST", "/invoices/booked", {
      draftInvoice: { draftInvoiceNumber: old.json.draftInvoiceNumber },
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/accounting year/);
  });
});

describe("journals", () => {
  const voucher = (entries: Record<string, unknown>, year = "2026") => ({
    accountingYear: { year },
    entries,
  });
  it("posts a finance voucher in a day book that accepts them", async () => {
    const res = await call(
      "POST",
      "/journals/3/vouchers",
      voucher({
        financeVouchers: [
          {
            date: "2026-11-20",
            amount: 1234.5,
            account: { accountNumber: 5500 },
            contraAccount: { accountNumber: 1350 },
            text: "Rackbeat Justering",
          },
        ],
      }),
    );
    expect(res.status).toBe(201);
    expect(res.json[0].voucherNumber).toBe(200000);
    const entries = await call("GET", "/journals/3/entries");
    expect(entries.json.collection[0]).toMatchObject({
      amount: 1234.5,
      account: { accountNumber: 5500 },
      contraAccount: { accountNumber: 1350 },
      entryType: "financeVoucher",
      voucher: { voucherNumber: 200000 },
      text: "Rackbeat Justering",
    });
  });
  it("enforces the day book's entry type, the voucher number range, postable accounts and open years", async () => {
    const wrongType = await call(
      "POST",
      "/journals/4/vouchers",
      voucher({ financeVouchers: [{ date: "2026-11-20", amount: 1, account: { accountNumber: 5500 } }] }),
    );
    expect(wrongType.status).toBe(400);
    const range = await call(
      "POST",
      "/journals/3/vouchers",
      voucher({
        financeVouchers: [
          { date: "2026-11-20", amount: 1, account: { accountNumber: 5500 }, voucher: { voucherNumber: 5 } },
        ],
      }),
    );
    expect(range.status).toBe(400);
    const heading = await call(
      "POST",
      "/journals/1/vouchers",
      voucher({
        financeVouchers: [
          { date: "2026-11-20", amount: 1, account: { accountNumber: 1000 } },
          { date: "2026-11-20", amount: 1, account: { accountNumber: 6800 } },
        ],
      }),
    );
    expect(codesAt(heading.json.errors, ["entries", "financeVouchers", 0, "account"]).length).toBe(1);
    expect(codesAt(heading.json.errors, ["entries", "financeVouchers", 1, "account"]).length).toBe(1);
    const closed = await call(
      "POST",
      "/journals/1/vouchers",
      voucher(
        { financeVouchers: [{ date: "2025-03-01", amount: 1, account: { accountNumber: 5500 } }] },
        "2025",
      ),
    );
    expect(closed.status).toBe(400);
    const supplierWithout = await call(
      "POST",
      "/journals/2/vouchers",
      voucher({ supplierInvoices: [{ date: "2026-11-20", amount: -100 }] }),
    );
    expect(supplierWithout.status).toBe(400);
  });
  it("replays a draft entry with the same Idempotency-Key without creating a second one", async () => {
    const body = {
      date: "2026-11-20",
      amount: 99.95,
      accountNumber: 5500,
      contraAccountNumber: 1350,
      text: "Rackbeat Justering",
    };
    const first = await call("POST", "/journalsapi/v16.0.1/journals/3/draft-entries", body, {
      "Idempotency-Key": "inventory-value:2026-11-20",
    });
    const second = await call("POST", "/journalsapi/v16.0.1/journals/3/draft-entries", body, {
      "Idempotency-Key": "inventory-value:2026-11-20",
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    expect(second.headers.get("X-ResultFromCache")).toBe("true");
    const list = await call("GET", "/journalsapi/v16.0.1/draft-entries");
    expect(list.json.items).toHaveLength(1);
    const outOfRange = await call(
      "POST",
      "/journalsapi/v16.0.1/journals/3/draft-entries",
      { ...body, voucherNumber: 3 },
      { "Idempotency-Key": "other" },
    );
    expect(outOfRange.status).toBe(400);
    expect(JSON.stringify(outOfRange.json)).toContain("JournalEntryVoucherNumberNotWithinBoundaries");
  });
});

describe("grant page", () => {
  it("approves: redirects to redirectUrl?token= with a working grant", async () => {
    const page = await fetch(
      `${url}/secure/api1/requestaccess.aspx?appPublicToken=sandbox-app-public-token&redirectUrl=${encodeURIComponent("http://app.test/install/economic/callback")}&locale=da-DK`,
    );
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Godkend");
    const res = await fetch(`${url}/secure/api1/requestaccess.aspx`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({
        agreementNumber: "700002",
        redirectUrl: "http://app.test/install/economic/callback",
        decision: "approve",
      }),
    });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(location.pathname).toBe("/install/economic/callback");
    const token = location.searchParams.get("token")!;
    const self = await fetch(`${url}/self`, { headers: economicHeaders(token) });
    expect(((await self.json()) as { agreementNumber: number }).agreementNumber).toBe(700002);
  });
  it("declines: redirects back without a token; an unknown app is refused", async () => {
    const res = await fetch(`${url}/secure/api1/requestaccess.aspx`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({
        agreementNumber: "700001",
        redirectUrl: "http://app.test/cb",
        decision: "decline",
      }),
    });
    expect(new URL(res.headers.get("location")!).searchParams.get("token")).toBeNull();
    expect((await fetch(`${url}/secure/api1/requestaccess.aspx?appPublicToken=wrong`)).status).toBe(400);
  });
});

describe("fault injection", () => {
  it("answers 429 with Retry-After, then 503, then recovers", async () => {
    await fetch(`${url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({
        rateLimits: [{ count: 1, retryAfterSeconds: 7 }],
        failures: [{ status: 503, count: 1 }],
      }),
    });
    const limited = await call("GET", "/self");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect((await call("GET", "/self")).status).toBe(503);
    expect((await call("GET", "/self")).status).toBe(200);
  });
  it("commits a write and then never answers", async () => {
    await fetch(`${url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({
        commitThenTimeout: [{ path: "/invoices/drafts", method: "POST", count: 1, hangMs: 200 }],
      }),
    });
    await expect(
      call("POST", "/invoices/drafts", draft({ references: { other: "ambiguous" } })),
    ).rejects.toThrow();
    const found = await call(
      "GET",
      `/invoices/drafts?filter=${encodeURIComponent("references.other$eq:ambiguous")}`,
    );
    expect(found.json.collection).toHaveLength(1);
    const counters = await (await fetch(`${url}/__control/counters`)).json();
    expect(counters["drafts.created"]).toBe(1);
  });
  it("adds latency", async () => {
    await fetch(`${url}/__control/faults`, { method: "PUT", body: JSON.stringify({ latencyMs: 150 }) });
    const started = performance.now();
    await call("GET", "/self");
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});
