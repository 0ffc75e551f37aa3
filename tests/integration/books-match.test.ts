import { beforeAll, describe, expect, it, vi } from "vitest";
import { GET as csvRoute } from "@/app/installations/[id]/books-match/csv/route";
import { mintLaunchToken } from "@/lib/auth/access";
import { HttpError } from "@/lib/http";
import { EconomicClient } from "@/lib/economic/client";
import { economicGrantOf, findInstallation, rackbeatTokenOf } from "@/lib/installations/repository";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { booksMatch } from "@/lib/report";
import type { BooksMatchReport, ReportRow } from "@/lib/report/types";
import { type SettingsValues } from "@/lib/settings/schema";
import { requestManualInvoiceTransfer } from "@/lib/transfers/manual";
import { runOutbox } from "@/lib/transfers/worker";
import { installViaRackbeat, withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";
import { activeSettings, backdateActivation, saveSettingsFor } from "@/tests/helpers/settings";
import { seedMatchingMonth } from "@/tests/helpers/matching-month";
import { transferByKey } from "@/tests/helpers/transfers";
import { enqueueInventoryPostings } from "@/lib/transfers/inventory/schedule";

/**
 * The books-match report against both emulators: a month with every kind of difference planted through
 * the services' own APIs (as the bookkeeper would make them), and a month that matches.
 */
// No session in these requests: access comes from a launch token or not at all.
vi.mock("@/lib/auth", async (original) => ({
  ...(await original<typeof import("@/lib/auth")>()),
  auth: vi.fn(async () => null),
}));

const db = withTestDb();
const app = withApp();
let installationId: string;
let accountId: number;
let rackbeat: RackbeatClient;
let economic: EconomicClient;
let agreementNumber: number;

const settings = activeSettings;
const configure = (values: SettingsValues) => saveSettingsFor(installationId, values);
const rackbeatAccount = () => app().emulators.rackbeat.state.account(accountId);
const product = () => [...rackbeatAccount().products.values()].find((p) => /^\d+$/.test(p.number))!;
const domestic = () => [...rackbeatAccount().customers.values()].find((c) => c.vat_zone === "domestic")!;

/** A booked Rackbeat invoice (its webhook queues the transfer). */
async function invoice(date: string, price: number) {
  const { data } = await rackbeat.request<{ customer_invoice: { number: number } }>("/customer-invoices", {
    method: "POST",
    body: {
      customer_id: domestic().number,
      invoice_date: date,
      lines: [{ child_id: product().number, quantity: 2, line_price: price }],
    },
  });
  await rackbeat.request(`/customer-invoices/${data.customer_invoice.number}/book`, {
    method: "POST",
    body: {},
  });
  await queued(`customer_invoice:${data.customer_invoice.number}`);
  return data.customer_invoice.number;
}
async function supplierInvoice(date: string, price: number) {
  const supplier = [...rackbeatAccount().suppliers.values()][0];
  const { data } = await rackbeat.request<{ supplier_invoice: { number: number } }>("/supplier-invoices", {
    method: "POST",
    body: {
      supplier_id: supplier.number,
      invoice_date: date,
      lines: [{ child_id: product().number, quantity: 3, line_price: price }],
    },
  });
  await rackbeat.request(`/supplier-invoices/${data.supplier_invoice.number}/book`, {
    method: "POST",
    body: {},
  });
  await queued(`supplier_invoice:${data.supplier_invoice.number}`);
  return data.supplier_invoice.number;
}
const run = () => runOutbox({ budgetMs: 10_000, installationId });
/** The booked webhook arrives a moment after the booking: its transfer is queued then. */
const queued = (key: string) =>
  expect.poll(() => transferByKey(db(), installationId, key).then(Boolean), { timeout: 5000 }).toBe(true);
const transfer = (key: string) => transferByKey(db(), installationId, key);
const draftOf = async (number: number) =>
  Number((await transfer(`customer_invoice:${number}`))!.economicReference!.split(":")[1]);
const rowOf = (report: BooksMatchReport, kind: ReportRow["kind"], number: number | string) =>
  report.rows.find((r) => r.kind === kind && r.rackbeat?.number === String(number));
const report = async (from: string, to: string) => {
  const outcome = await booksMatch((await findInstallation(installationId))!, { from, to });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome));
  return outcome.report;
};

beforeAll(async () => {
  const rb = app().emulators.rackbeat.state.addAccount("Afstemning ApS");
  const ec = app().emulators.economic.state.addAgreement("Afstemning ApS");
  accountId = rb.id;
  agreementNumber = ec.agreementNumber;
  installationId = await installViaRackbeat(app().emulators, accountId, agreementNumber);
  const installation = (await findInstallation(installationId))!;
  rackbeat = new RackbeatClient(rackbeatTokenOf(installation)!);
  economic = new EconomicClient(economicGrantOf(installation)!);
  await configure(settings());
});

describe("books match", () => {
  it("a month where everything arrived says the books match, with equal totals on both sides", async () => {
    const a = await invoice("2026-09-10", 100);
    const b = await invoice("2026-09-22", 45.5);
    const s = await supplierInvoice("2026-09-15", 20);
    await run();
    const r = await report("2026-09-01", "2026-09-30");
    expect(r.differences).toBe(0);
    expect(r.rows.map((x) => x.rackbeat?.number).sort()).toEqual([String(a), String(b), String(s)].sort());
    for (const t of r.totals) expect(t.difference).toEqual({ netOre: 0n, vatOre: 0n, grossOre: 0n });
    const customer = r.totals.find((t) => t.kind === "customer_invoice")!;
    expect(customer.rackbeat.netOre).toBe(29_100n);
    expect(customer.rackbeat.vatOre).toBe(7_275n);
    expect(rowOf(r, "supplier_invoice", s)).toMatchObject({
      economic: { netOre: 6_000n, vatOre: 1_500n, grossOre: 7_500n },
    });
    // A few calls, whatever the number of documents.
    expect(r.calls.economic + r.calls.rackbeat).toBeLessThan(15);
  });

  it("a month with every kind of difference names each with its cause", async () => {
    const clean = await invoice("2026-11-03", 100);
    await run();
    // e-conomic refuses the draft (say, a closed accounting year): the transfer fails with its words.
    const faults = `${app().emulators.economic.server.url}/__control/faults`;
    await fetch(faults, {
      method: "PUT",
      body: JSON.stringify({
        failures: [
          { path: "/invoices/drafts", method: "POST", status: 400, rate: 1, body: { message: "Closed" } },
        ],
      }),
    });
    const failed = await invoice("2026-11-04", 101);
    await run();
    await fetch(faults, { method: "DELETE" });
    expect((await transfer(`customer_invoice:${failed}`))!.status).toBe("failed");

    await configure(settings((s) => (s.debtor.postInvoices = false)));
    const draft = await invoice("2026-11-05", 102);
    const deleted = await invoice("2026-11-06", 103);
    const changed = await invoice("2026-11-07", 104);
    const monthEnd = await invoice("2026-11-30", 105);
    await run();
    await configure(settings());
    await run(); // the failed one stays failed: it waits on the layouts it was refused for

    // The bookkeeper, in e-conomic: deletes one draft, changes another's price, moves one to December…
    await economic.rest(`/invoices/drafts/${await draftOf(deleted)}`, { method: "DELETE" });
    const edit = async (number: number, change: (d: Record<string, unknown>) => void) => {
      const n = await draftOf(number);
      const { data } = await economic.rest<Record<string, unknown>>(`/invoices/drafts/${n}`);
      change(data);
      await economic.rest(`/invoices/drafts/${n}`, { method: "PUT", body: data });
    };
    await edit(changed, (d) => ((d.lines as { unitNetPrice: number }[])[0].unitNetPrice = 140));
    await edit(monthEnd, (d) => (d.date = "2026-12-01"));
    // …and books an invoice of her own.
    const { data: template } = await economic.rest<Record<string, unknown>>(
      `/invoices/drafts/${await draftOf(draft)}`,
    );
    const { data: own } = await economic.rest<{ draftInvoiceNumber: number }>("/invoices/drafts", {
      method: "POST",
      body: {
        date: "2026-11-12",
        currency: "DKK",
        customer: { customerNumber: domestic().number },
        layout: template.layout,
        paymentTerms: template.paymentTerms,
        recipient: { name: "Håndlavet A/S", vatZone: { vatZoneNumber: 1 } },
        lines: [
          {
            product: { productNumber: product().number },
            description: "Konsulent",
            quantity: 1,
            unitNetPrice: 500,
          },
        ],
      },
    });
    await economic.rest("/invoices/booked", {
      method: "POST",
      body: { draftInvoice: { draftInvoiceNumber: own.draftInvoiceNumber } },
    });

    // Still queued: booked in Rackbeat a moment ago.
    const queued = await invoice("2026-11-20", 106);
    await requestManualInvoiceTransfer({
      installation: (await findInstallation(installationId))!,
      invoiceNumber: String(queued),
      actor: "Bente",
    });

    const r = await report("2026-11-01", "2026-11-30");
    expect(rowOf(r, "customer_invoice", clean)?.cause).toBeUndefined();
    expect(rowOf(r, "customer_invoice", failed)?.cause).toMatchObject({
      code: "failed",
      errorCode: expect.any(String),
    });
    expect(rowOf(r, "customer_invoice", draft)?.cause).toEqual({
      code: "draft_by_settings",
      reason: "post_off",
    });
    expect(rowOf(r, "customer_invoice", deleted)?.cause).toMatchObject({ code: "deleted_in_economic" });
    expect(rowOf(r, "customer_invoice", changed)).toMatchObject({
      cause: { code: "changed_in_economic" },
      difference: { netOre: 7_200n },
    });
    expect(rowOf(r, "customer_invoice", monthEnd)).toMatchObject({
      cause: { code: "other_period", rackbeatDate: "2026-11-30", economicDate: "2026-12-01" },
      economicInPeriod: false,
    });
    expect(rowOf(r, "customer_invoice", queued)?.cause).toMatchObject({ code: "queued" });
    const handMade = r.rows.find((x) => x.cause?.code === "only_in_economic");
    expect(handMade).toMatchObject({ economic: { netOre: 50_000n, state: "booked", text: "Håndlavet A/S" } });
    expect(handMade?.rackbeat).toBeUndefined();
    expect(r.differences).toBe(7);
    const totals = r.totals.find((t) => t.kind === "customer_invoice")!;
    expect(totals.difference.netOre).toBe(totals.economic.netOre - totals.rackbeat.netOre);

    // December sees the moved invoice from the other side.
    const december = await report("2026-12-01", "2026-12-31");
    expect(rowOf(december, "customer_invoice", monthEnd)).toMatchObject({
      cause: { code: "other_period" },
      rackbeatInPeriod: false,
      economicInPeriod: true,
    });
  });

  it("supplier invoices: booked through the day book they match; one deleted from the day book says so", async () => {
    const kept = await supplierInvoice("2026-10-08", 30);
    const removed = await supplierInvoice("2026-10-09", 31);
    await run();
    const control = `${app().emulators.economic.server.url}/__control/agreements/${agreementNumber}`;
    const entries = () =>
      app().emulators.economic.state.agreement(agreementNumber).entries as {
        entryNumber: number;
        text?: string;
      }[];
    const [gone] = entries().filter((e) => e.text === `Rackbeat leverandørfaktura ${removed}`);
    await fetch(`${control}/entries/${gone.entryNumber}`, { method: "DELETE" });
    await fetch(`${control}/journals/2/book`, { method: "POST" });
    // One still in the day book: a voucher not yet booked matches (the bookkeeper books day books).
    const waiting = await supplierInvoice("2026-10-10", 32);
    await run();

    const r = await report("2026-10-01", "2026-10-31");
    expect(rowOf(r, "supplier_invoice", kept)).toMatchObject({
      economic: { state: "booked", netOre: 9_000n, vatOre: 2_250n, grossOre: 11_250n },
    });
    expect(rowOf(r, "supplier_invoice", kept)?.cause).toBeUndefined();
    expect(rowOf(r, "supplier_invoice", removed)?.cause).toMatchObject({ code: "deleted_in_economic" });
    expect(rowOf(r, "supplier_invoice", waiting)).toMatchObject({ economic: { state: "draft" } });
    expect(rowOf(r, "supplier_invoice", waiting)?.cause).toBeUndefined();
    expect(r.differences).toBe(1);
  });

  it("a month of 2,000 invoices on each side costs a few dozen calls, not one per document", async () => {
    seedMatchingMonth(rackbeatAccount(), app().emulators.economic.state.agreement(agreementNumber), {
      month: "2026-08",
      count: 2000,
      customer: domestic().number,
      product: product().number,
      firstBookedNumber: 900000,
    });
    const r = await report("2026-08-01", "2026-08-31");
    expect(r.rows).toHaveLength(2000);
    expect(r.differences).toBe(0);
    const calls = r.calls.economic + r.calls.rackbeat;
    // README "Books match": the budget for a month of 2,000 invoices is 40 calls.
    expect(calls).toBeLessThanOrEqual(40);
    expect(r.calls.rackbeat).toBe(Math.ceil(2000 / 200) + 1);
  });

  it("inventory value postings: a posting in e-conomic matches; one changed there and one not yet posted say so", async () => {
    await configure(
      settings((s) => {
        s.inventory = {
          enabled: true,
          frequency: "daily",
          dayBook: "3",
          inventoryAccount: "5500",
          offsetAccount: "1350",
        };
      }),
    );
    await backdateActivation(db(), installationId, new Date("2026-06-01T00:00:00Z"));
    const valuation = rackbeatAccount().valuation;
    valuation.base = 0;
    valuation.movements = [
      { date: "2026-06-02", delta: 1000 },
      { date: "2026-06-03", delta: 250.5 },
    ];
    const day = async (date: string) => {
      await enqueueInventoryPostings(new Date(`${date}T05:00:00Z`));
      await runOutbox({ budgetMs: 10_000, installationId, kinds: ["inventory_value"] });
    };
    await day("2026-06-03"); // posts the 2nd: 1,000.00
    await day("2026-06-04"); // posts the 3rd: 250.50
    // The bookkeeper changes the 3rd's amount in the day book.
    const entries = app().emulators.economic.state.agreement(agreementNumber).entries as {
      text?: string;
      amount: number;
    }[];
    entries.find((e) => e.text === "Rackbeat Justering 2026-06-03")!.amount = 205.5;
    await enqueueInventoryPostings(new Date("2026-06-05T05:00:00Z")); // the 4th, queued, not yet run

    const r = await report("2026-06-01", "2026-06-30");
    const rows = r.rows.filter((x) => x.kind === "inventory_value");
    expect(rowOf(r, "inventory_value", "2026-06-02")).toMatchObject({
      rackbeat: { netOre: 100_000n },
      economic: { netOre: 100_000n },
    });
    expect(rowOf(r, "inventory_value", "2026-06-02")?.cause).toBeUndefined();
    expect(rowOf(r, "inventory_value", "2026-06-03")).toMatchObject({
      cause: { code: "changed_in_economic" },
      difference: { netOre: -4_500n },
    });
    expect(rowOf(r, "inventory_value", "2026-06-04")?.cause).toMatchObject({ code: "queued" });
    expect(rows).toHaveLength(3);
  });

  it("the CSV: the page's access and checks, the reader's spreadsheet dialect; anonymous requests cost no call", async () => {
    const installation = (await findInstallation(installationId))!;
    const token = mintLaunchToken({ id: installation.id, generation: installation.bindingGeneration });
    const calls = () =>
      Object.entries(app().emulators.economic.state.counters.toJSON())
        .filter(([k]) => k.startsWith("requests."))
        .reduce((sum, [, n]) => sum + n, 0);
    const get = (query: string, language = "en") =>
      csvRoute(
        new Request(`http://app.test/installations/${installation.id}/books-match/csv?${query}`, {
          headers: { "Accept-Language": language },
        }),
        { params: Promise.resolve({ id: installation.id }) },
      );
    const before = calls();
    expect((await get("from=2026-09-01&to=2026-09-30")).status).toBe(404);
    expect((await get(`from=2026-09-01&to=2026-09-30&lt=${token}x`)).status).toBe(404);
    expect(calls()).toBe(before);
    const wrong = await get(`from=2026-09-30&to=2026-09-01&lt=${encodeURIComponent(token)}`);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ field: "to", message: "The end comes before the start." });

    const english = await get(`from=2026-09-01&to=2026-09-30&lt=${encodeURIComponent(token)}`);
    expect(english.status).toBe(200);
    expect(english.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(english.headers.get("content-disposition")).toContain("books-match-2026-09-01-2026-09-30.csv");
    const bytes = new Uint8Array(await english.arrayBuffer());
    // UTF-8 with a BOM, so that Excel reads ø and æ right.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "Kind,Rackbeat document,Rackbeat date,e-conomic document,e-conomic date,Currency,Rackbeat net,Rackbeat VAT,Rackbeat gross,e-conomic net,e-conomic VAT,e-conomic gross,Difference net,Difference VAT,Difference gross,Cause,What to do",
    );
    expect(lines.slice(1).every((l) => l.endsWith(",0.00,0.00,0.00,Matches,"))).toBe(true);
    const danish = await get(`from=2026-09-01&to=2026-09-30&lt=${encodeURIComponent(token)}`, "da-DK,da");
    const first = (await danish.text()).split("\r\n")[1];
    expect(first).toMatch(
      /^Kundefakturaer;Faktura \d+;2026-09-10;Bogført faktura \d+;2026-09-10;DKK;200,00;50,00;250,00;/,
    );
  });

  it("a Rackbeat that refuses the date filter (422) is read without it, and the dates are checked here", async () => {
    const clean = await report("2026-09-01", "2026-09-30");
    const original = RackbeatClient.prototype.request;
    const refusing = vi.spyOn(RackbeatClient.prototype, "request").mockImplementation(async function (
      this: RackbeatClient,
      path,
      options,
    ) {
      if (path.includes("invoice_date_from"))
        throw new HttpError("Rackbeat", 422, {
          errors: { invoice_date_from: ["Property 'invoice_date_from' is not filterable"] },
        });
      return original.call(this, path, options) as never;
    });
    try {
      const fallback = await report("2026-09-01", "2026-09-30");
      expect(fallback.rows.map((r) => r.rackbeat?.number)).toEqual(clean.rows.map((r) => r.rackbeat?.number));
      expect(fallback.differences).toBe(0);
      expect(refusing.mock.calls.some(([path]) => String(path).includes("invoice_date_from"))).toBe(true);
    } finally {
      refusing.mockRestore();
    }
  });
});
