import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { schema } from "@/db/client";
import { findInstallation, rackbeatTokenOf } from "@/lib/installations/repository";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { matrixKey, type SettingsValues } from "@/lib/settings/schema";
import { enqueue } from "@/lib/transfers/queue";
import { transferDefinitionOf, type TransferKind } from "@/lib/transfers/registry";
import { retryFailedTransfers } from "@/lib/transfers/retry";
import { runOutbox } from "@/lib/transfers/worker";
import { installViaRackbeat, withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";
import { transferByKey } from "@/tests/helpers/transfers";
import { activeSettings, saveSettingsFor } from "@/tests/helpers/settings";

/**
 * What a bookkeeper would see in e-conomic after the integration touched their books: fields only
 * e-conomic holds are still there, the CVR is where e-conomic keeps it, købsmoms is right to the øre on a
 * mixed-rate supplier invoice, a late retry posts nothing twice, Rackbeat's numbers never pass for
 * e-conomic's, and a product number e-conomic cannot hold never leaves.
 */
const db = withTestDb();
const app = withApp();
let installationId: string;
let accountId: number;
let agreementNumber: number;
let rackbeat: RackbeatClient;

const economicState = () => app().emulators.economic.state;
const rackbeatAccount = () => app().emulators.rackbeat.state.account(accountId);
const agreement = () => economicState().agreement(agreementNumber);
const control = (path: string, body: unknown) =>
  fetch(`${app().emulators.economic.server.url}/__control${path}`, {
    method: path === "/faults" ? "PUT" : "POST",
    body: JSON.stringify(body),
  }).then((r) => r.json());
const writes = () => {
  const c = economicState().counters.toJSON();
  return (c["requests.POST"] ?? 0) + (c["requests.PUT"] ?? 0) + (c["requests.DELETE"] ?? 0);
};

const settings = (patch: (s: SettingsValues) => void = () => {}): SettingsValues =>
  activeSettings((s) => {
    // Goods at 25 %, spare parts bought from the EU (reverse charge), services without VAT.
    s.accounting.matrix = { [matrixKey(1, 1)]: "1310", [matrixKey(2, 1)]: "1320", [matrixKey(3, 1)]: "1345" };
    patch(s);
  });
const configure = (values: SettingsValues) => saveSettingsFor(installationId, values);
/** Queues (or queues again) the transfer of one Rackbeat record, and runs the outbox. */
async function transfer(kind: TransferKind, sourceId: string | number) {
  await db().transaction((tx) =>
    enqueue(tx, transferDefinitionOf(kind)!, { installationId, sourceId: String(sourceId), again: true }),
  );
  // The change's own webhook may have started the same transfer already (the fast path): the enqueue
  // above then asks it to run once more, and it is done when it is neither waiting nor running.
  for (let i = 0; i < 50; i++) {
    await runOutbox({ budgetMs: 10_000, installationId });
    const row = await transferOf(`${kind}:${sourceId}`);
    if (row && row.status !== "pending" && row.status !== "running") return row;
    await new Promise((r) => setTimeout(r, 20));
  }
  return transferOf(`${kind}:${sourceId}`);
}
const transferOf = (key: string) => transferByKey(db(), installationId, key);
const makeDue = (key: string) =>
  db()
    .update(schema.transfers)
    .set({ runAfter: new Date() })
    .where(
      and(eq(schema.transfers.installationId, installationId), eq(schema.transfers.idempotencyKey, key)),
    );

beforeAll(async () => {
  const rb = app().emulators.rackbeat.state.addAccount("Hele Bøger ApS");
  const ec = economicState().addAgreement("Hele Bøger ApS");
  accountId = rb.id;
  agreementNumber = ec.agreementNumber;
  installationId = await installViaRackbeat(app().emulators, accountId, agreementNumber);
  rackbeat = new RackbeatClient(rackbeatTokenOf((await findInstallation(installationId))!)!);
  await configure(settings());
});
beforeEach(() => void (economicState().faults = { ...economicState().faults, commitThenTimeout: [] }));

describe("an update changes only what the integration owns", () => {
  it("a supplier's bank account, payment type, group and cost account survive a change in Rackbeat", async () => {
    const supplier = [...rackbeatAccount().suppliers.values()].find((s) => s.vat_zone === "domestic")!;
    expect((await transfer("supplier", supplier.number))?.status).toBe("succeeded");
    // The bookkeeper completes the supplier in e-conomic.
    const held = agreement().suppliers.get(supplier.number)!;
    Object.assign(held, {
      bankAccount: "9570 0012345678",
      remittanceAdvice: { creditorId: "87654321", paymentType: { paymentTypeNumber: 3 } },
      supplierGroup: { supplierGroupNumber: 2 },
      costAccount: { accountNumber: 1340 },
      defaultInvoiceText: "Faktura fra lager",
    });
    await rackbeat.request(`/suppliers/${supplier.number}`, {
      method: "PUT",
      body: { company_name: "Nyt Navn Engros A/S", contact_email: "ny@example.dk" },
    });
    expect((await transfer("supplier", supplier.number))?.status).toBe("succeeded");
    expect(agreement().suppliers.get(supplier.number)).toMatchObject({
      name: "Nyt Navn Engros A/S",
      email: "ny@example.dk",
      bankAccount: "9570 0012345678",
      remittanceAdvice: { creditorId: "87654321", paymentType: { paymentTypeNumber: 3 } },
      supplierGroup: { supplierGroupNumber: 2 },
      costAccount: { accountNumber: 1340 },
      defaultInvoiceText: "Faktura fra lager",
    });
  });

  it("a customer's contact person, credit limit, sales person and barred flag survive", async () => {
    const customer = [...rackbeatAccount().customers.values()].find((c) => c.vat_zone === "domestic")!;
    expect((await transfer("customer", customer.number))?.status).toBe("succeeded");
    const contact = {
      customerContactNumber: 9001,
      name: "Bente Indkøb",
      customer: { customerNumber: customer.number },
    };
    agreement().contacts.set(customer.number, [contact]);
    Object.assign(agreement().customers.get(customer.number)!, {
      attention: { customerContactNumber: 9001 },
      customerContact: { customerContactNumber: 9001 },
      creditLimit: 50_000,
      salesPerson: { employeeNumber: 1 },
      barred: true,
      telephoneAndFaxNumber: "86 00 00 00",
    });
    await rackbeat.request(`/customers/${customer.number}`, {
      method: "PUT",
      body: { company_name: "Omdøbt Kunde ApS" },
    });
    expect((await transfer("customer", customer.number))?.status).toBe("succeeded");
    expect(agreement().customers.get(customer.number)).toMatchObject({
      name: "Omdøbt Kunde ApS",
      attention: { customerContactNumber: 9001 },
      customerContact: { customerContactNumber: 9001 },
      creditLimit: 50_000,
      salesPerson: { employeeNumber: 1 },
      barred: true,
      telephoneAndFaxNumber: "86 00 00 00",
    });
  });

  it("a product's description, recommended price and barred flag survive", async () => {
    const product = [...rackbeatAccount().products.values()].find((p) => /^\d+$/.test(p.number))!;
    expect((await transfer("product", product.number))?.status).toBe("succeeded");
    Object.assign(agreement().products.get(product.number)!, {
      description: "Galvaniseret, til udendørs brug",
      recommendedPrice: 199.95,
      barred: true,
    });
    await rackbeat.request(`/products/${encodeURIComponent(product.number)}`, {
      method: "PUT",
      body: { name: `${product.name} v2`, sales_price: 123.45 },
    });
    expect((await transfer("product", product.number))?.status).toBe("succeeded");
    expect(agreement().products.get(product.number)).toMatchObject({
      name: `${product.name} v2`,
      salesPrice: 123.45,
      description: "Galvaniseret, til udendørs brug",
      recommendedPrice: 199.95,
      barred: true,
    });
  });
});

describe("numbers mean what they mean in each system", () => {
  it("a Danish customer's CVR goes in corporateIdentificationNumber, never vatNumber (_customers.md)", async () => {
    const customer = [...rackbeatAccount().customers.values()].find(
      (c) => c.vat_zone === "domestic" && c.company_vat,
    )!;
    expect((await transfer("customer", customer.number))?.status).toBe("succeeded");
    const held = agreement().customers.get(customer.number)!;
    expect(held.corporateIdentificationNumber).toBe(customer.company_vat);
    expect(held).not.toHaveProperty("vatNumber");
  });

  it("the due date e-conomic gives an invoice is the one Rackbeat shows (payment terms matched, not numbered)", async () => {
    const customer = [...rackbeatAccount().customers.values()].findLast(
      (c) => c.vat_zone === "domestic" && !c.ean && c.payment_terms.number === 1,
    )!;
    // Not the product barred in e-conomic above: booking refuses a barred product (_products.md).
    const product = [...rackbeatAccount().products.values()].findLast((p) => /^\d+$/.test(p.number))!;
    const { data } = await rackbeat.request<{ customer_invoice: { number: number } }>("/customer-invoices", {
      method: "POST",
      body: {
        customer_id: customer.number,
        invoice_date: "2026-11-02",
        lines: [{ child_id: product.number, quantity: 1, line_price: 10 }],
      },
    });
    const number = data.customer_invoice.number;
    const { data: booked } = await rackbeat.request<{ customer_invoice: { due_date: string } }>(
      `/customer-invoices/${number}/book`,
      { method: "POST", body: {} },
    );
    expect(await transfer("customer_invoice", number)).toMatchObject({ status: "succeeded" });
    const invoice = [...agreement().booked.values()].find(
      (b) => (b.references as { other?: string }).other === `rackbeat-invoice:${number}`,
    )!;
    // Rackbeat's payment terms 1 is "Netto 8 dage"; e-conomic's 1 is cash. The matched 2 gives 8 days.
    expect(invoice.dueDate).toBe(booked.customer_invoice.due_date);
    expect(invoice.paymentTerms).toMatchObject({ paymentTermsNumber: 2 });
  });

  it("a value with no match fails its transfer, naming the value and where to match it, and writes nothing", async () => {
    // A payment term made in Rackbeat after activation, on a customer: nothing in e-conomic stands for it.
    rackbeatAccount().paymentTerms.push({
      number: 7,
      name: "Netto 60 dage",
      description: "60 dage netto",
      maturity_days: 60,
      type: "net",
    });
    const customer = [...rackbeatAccount().customers.values()].findLast((c) => c.vat_zone === "domestic")!;
    const was = customer.payment_terms;
    customer.payment_terms = { number: 7, name: "Netto 60 dage" };
    try {
      await db()
        .delete(schema.economicRecords)
        .where(eq(schema.economicRecords.installationId, installationId));
      const before = writes();
      const t = await transfer("customer", customer.number);
      expect(t).toMatchObject({
        status: "failed",
        errorCode: "transfer.value_not_mapped",
        errorParams: { kind: "paymentTerms", value: "7", name: "Netto 60 dage", setting: "mappings" },
      });
      expect(writes()).toBe(before);
    } finally {
      customer.payment_terms = was;
      rackbeatAccount().paymentTerms.pop();
    }
  });

  it("a product number over 25 characters fails with what to change in Rackbeat, before any request", async () => {
    const number = "HYLDE-GALVANISERET-2000X600MM";
    await rackbeat.request("/products", {
      method: "POST",
      body: { number, name: "Hylde, lang", group_id: 1, unit_id: 1, sales_price: 100 },
    });
    const before = writes();
    const t = await transfer("product", number);
    expect(t).toMatchObject({
      status: "failed",
      errorCode: "transfer.product_number_too_long",
      errorParams: { product: number, length: number.length, limit: 25 },
    });
    expect(writes()).toBe(before);
    expect(agreement().products.has(number)).toBe(false);
  });
});

/** A booked supplier invoice in Rackbeat with lines at their own VAT rates. */
async function bookSupplierInvoice(
  lines: { child_id: string; quantity: number; line_price: number; vat_percentage?: number }[],
) {
  const supplier = [...rackbeatAccount().suppliers.values()].find((s) => s.vat_zone === "domestic")!;
  const { data } = await rackbeat.request<{ supplier_invoice: { number: number } }>("/supplier-invoices", {
    method: "POST",
    body: { supplier_id: supplier.number, invoice_date: "2026-11-18", lines },
  });
  const { data: booked } = await rackbeat.request<{
    supplier_invoice: { number: number; total_subtotal: number; total_vat: number; total_total: number };
  }>(`/supplier-invoices/${data.supplier_invoice.number}/book`, { method: "POST", body: {} });
  return { supplier, invoice: booked.supplier_invoice };
}
const productOfGroup = (group: number) =>
  [...rackbeatAccount().products.values()].find((p) => p.group.number === group)!;
const balance = (account: number) =>
  Math.round(agreement().accounts.find((a) => a.accountNumber === account)!.balance * 100);

describe("supplier invoices over accounts with different VAT rates", () => {
  it("put each account's own VAT on it: købsmoms equals Rackbeat's VAT to the øre, the total its gross", async () => {
    const before = {
      1310: balance(1310),
      1320: balance(1320),
      1345: balance(1345),
      6910: balance(6910),
      6920: balance(6920),
      6800: balance(6800),
      6810: balance(6810),
    };
    const { invoice } = await bookSupplierInvoice([
      { child_id: productOfGroup(1).number, quantity: 3, line_price: 333.33, vat_percentage: 25 },
      { child_id: productOfGroup(2).number, quantity: 2, line_price: 200, vat_percentage: 0 },
      { child_id: productOfGroup(3).number, quantity: 1, line_price: 99.99, vat_percentage: 0 },
    ]);
    // Rackbeat: net 999.99 + 400.00 + 99.99 = 1 499.98; VAT 25 % of 999.99 = 250.00; total 1 749.98.
    expect(invoice).toMatchObject({ total_subtotal: 1499.98, total_vat: 250, total_total: 1749.98 });
    const done = await transfer("supplier_invoice", invoice.number);
    expect(done).toMatchObject({
      status: "succeeded",
      economicReference: expect.stringMatching(/^voucher:/),
    });

    await control(`/agreements/${agreementNumber}/journals/2/book`, {});
    const moved = (n: number, was: number) => balance(n) - was;
    // Each expense account carries its own net, VAT-free freight carries no VAT.
    expect(moved(1310, before[1310])).toBe(99_999);
    expect(moved(1320, before[1320])).toBe(40_000);
    expect(moved(1345, before[1345])).toBe(9_999);
    // Købsmoms: the 250.00 Rackbeat charged, plus the EU acquisition VAT that goes out again on 6920.
    expect(moved(6910, before[6910]) + moved(6920, before[6920])).toBe(25_000);
    expect(moved(6920, before[6920])).toBe(-10_000);
    // The supplier is owed exactly Rackbeat's gross.
    expect(moved(6800, before[6800]) + moved(6810, before[6810])).toBe(-174_998);
  });

  it("refuses, before posting, an invoice whose VAT the accounts' VAT codes cannot carry", async () => {
    // Services (group 3) go to 1345 without a VAT code; Rackbeat charged 25 % on them.
    const { invoice } = await bookSupplierInvoice([
      { child_id: productOfGroup(3).number, quantity: 1, line_price: 1000, vat_percentage: 25 },
    ]);
    const entriesBefore = agreement().entries.length;
    expect(await transfer("supplier_invoice", invoice.number)).toMatchObject({
      status: "failed",
      errorCode: "transfer.supplier_invoice_vat_mismatch",
      errorParams: { rackbeatVat: "250.00", economicVat: "0.00", accounts: "1345" },
    });
    expect(agreement().entries.length).toBe(entriesBefore);
  });
});

describe("a late retry posts nothing twice", () => {
  const countVouchers = (text: string) =>
    new Set([
      ...agreement()
        .entries.filter((e) => (e as { text?: string }).text === text)
        .map((e) => `d${e.entryNumber}`),
      ...agreement()
        .bookedEntries.filter((e) => e.text === text && e.supplierNumber !== undefined)
        .map((e) => `b${e.voucherNumber}`),
    ]).size;

  /** A booked supplier invoice whose voucher e-conomic took, the answer never reaching us. */
  async function lostVoucher(linePrice: number) {
    const { invoice } = await bookSupplierInvoice([
      { child_id: productOfGroup(1).number, quantity: 1, line_price: linePrice },
    ]);
    await control("/faults", {
      commitThenTimeout: [{ path: "/journals/2/vouchers", method: "POST", count: 1, hangMs: 50 }],
    });
    const key = `supplier_invoice:${invoice.number}`;
    expect(await transfer("supplier_invoice", invoice.number)).toMatchObject({
      status: "pending",
      errorCode: "transfer.service_unreachable",
    });
    const text = `Rackbeat leverandørfaktura ${invoice.number}`;
    expect(countVouchers(text)).toBe(1);
    return { key, text };
  }
  /** Time passes on e-conomic's clock (its Idempotency-Keys expire after an hour); the retry runs. */
  async function later(seconds: number, key: string) {
    await control("/clock", { advanceSeconds: seconds });
    await makeDue(key);
    await runOutbox({ budgetMs: 10_000, installationId });
    return (await transferOf(key))!;
  }

  it("after the bookkeeper booked the day book, a week later: found among the year's booked entries", async () => {
    const { key, text } = await lostVoucher(80);
    await control(`/agreements/${agreementNumber}/journals/2/book`, {});
    const t = await later(7 * 24 * 3600, key);
    expect(t).toMatchObject({ status: "succeeded", payload: { found: true } });
    const booked = agreement().bookedEntries.find((e) => e.text === text && e.supplierNumber !== undefined)!;
    // Booking renumbered the voucher; the transfer names the number it has now.
    expect(t.economicReference).toBe(`voucher:2026-${booked.voucherNumber}`);
    expect(countVouchers(text)).toBe(1);
  });

  it("after the bookkeeper moved the entry to another day book: found there", async () => {
    const { key, text } = await lostVoucher(91);
    const entry = agreement().entries.find((e) => (e as { text?: string }).text === text)!;
    await control(`/agreements/${agreementNumber}/entries/${entry.entryNumber}/move`, { journalNumber: 1 });
    expect(await later(2 * 3600, key)).toMatchObject({ status: "succeeded", payload: { found: true } });
    expect(countVouchers(text)).toBe(1);
  });

  it("Retry clicked days after the transfer gave up, the day book booked meanwhile, posts nothing twice", async () => {
    const { key, text } = await lostVoucher(10);
    // The retry's lookup is refused, so the transfer ends failed, with the voucher already in e-conomic.
    await control("/faults", {
      failures: [{ path: "/journals/2/entries", method: "GET", status: 400, count: 1 }],
    });
    expect(await later(60, key)).toMatchObject({ status: "failed" });
    await control(`/agreements/${agreementNumber}/journals/2/book`, {});
    await control("/clock", { advanceSeconds: 3 * 24 * 3600 });
    const { id } = (await transferOf(key))!;
    expect((await retryFailedTransfers({ installationId, transferId: id, actor: "Bente" })).count).toBe(1);
    await runOutbox({ budgetMs: 10_000, installationId });
    expect(await transferOf(key)).toMatchObject({ status: "succeeded", payload: { found: true } });
    expect(countVouchers(text)).toBe(1);
  });

  it("every write the transfers made carried an Idempotency-Key", () => {
    expect(economicState().counters.toJSON()["writes.withoutIdempotencyKey"] ?? 0).toBe(0);
  });
});
