import { beforeAll, describe, expect, it } from "vitest";
import { EconomicClient } from "@/lib/economic/client";
import { economicGrantOf, findInstallation, rackbeatTokenOf } from "@/lib/installations/repository";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { booksMatch } from "@/lib/report";
import type { BooksMatchReport, ReportRow } from "@/lib/report/types";
import { loadSettings } from "@/lib/settings/repository";
import { saveSettings } from "@/lib/settings/save";
import { defaultSettings, matrixKey, type SettingsValues } from "@/lib/settings/schema";
import { requestManualInvoiceTransfer } from "@/lib/transfers/manual";
import { runOutbox } from "@/lib/transfers/worker";
import { installViaRackbeat, withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";
import { demoMappings } from "@/tests/helpers/settings";
import { transferByKey } from "@/tests/helpers/transfers";

/**
 * The books-match report against both emulators: a month with every kind of difference planted through
 * the services' own APIs (as the bookkeeper would make them), and a month that matches.
 */
const db = withTestDb();
const app = withApp();
let installationId: string;
let accountId: number;
let rackbeat: RackbeatClient;
let economic: EconomicClient;

const settings = (patch: (s: SettingsValues) => void = () => {}): SettingsValues => {
  const s = defaultSettings();
  s.mappings = demoMappings();
  s.debtor = { ...s.debtor, enabled: true, useActualQuantity: true, postInvoices: true };
  s.creditor = { enabled: true, supplierGroup: "1", dayBook: "2" };
  s.accounting = {
    standardAccount: "1310",
    matrix: { [matrixKey(1, 1)]: "1310", [matrixKey(2, 1)]: "1340" },
  };
  s.layouts = { "19": "1", "20": "2" };
  patch(s);
  return s;
};
async function configure(values: SettingsValues) {
  const result = await saveSettings({
    installation: (await findInstallation(installationId))!,
    actor: "Bente",
    values,
    expectedVersion: (await loadSettings(installationId)).version,
    activate: true,
  });
  if (!result.ok) throw new Error(`settings refused: ${JSON.stringify(result)}`);
}
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
  return data.supplier_invoice.number;
}
const run = () => runOutbox({ budgetMs: 10_000, installationId });
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
  installationId = await installViaRackbeat(app().emulators, accountId, ec.agreementNumber);
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
});
