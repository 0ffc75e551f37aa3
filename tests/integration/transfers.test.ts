import { and, eq, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { schema } from "@/db/client";
import { EconomicClient } from "@/lib/economic/client";
import { economicGrantOf, findInstallation, rackbeatTokenOf } from "@/lib/installations/repository";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { loadSettings } from "@/lib/settings/repository";
import { type SettingsValues } from "@/lib/settings/schema";
import { requestManualInvoiceTransfer } from "@/lib/transfers/manual";
import { HttpError } from "@/lib/http";
import { changedSince, reconcileInstallation, updatedAtFrom } from "@/lib/transfers/reconcile";
import { createInvoiceRecord } from "@/tests/emulators/rackbeat/seed";
import { retryFailedTransfers } from "@/lib/transfers/retry";
import { getTransfer } from "@/lib/transfers/queries";
import { runOutbox } from "@/lib/transfers/worker";
import { installViaRackbeat, withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";
import { transferByKey } from "@/tests/helpers/transfers";
import { activeSettings, saveSettingsFor } from "@/tests/helpers/settings";

/**
 * Transfers end to end: Rackbeat and e-conomic are the emulators over real HTTP, webhooks arrive at the
 * app's route over real HTTP, and the outbox runs on the test database.
 */
const db = withTestDb();
const app = withApp();
let installationId: string;
let accountId: number;
let agreementNumber: number;
let rackbeat: RackbeatClient;

const economicState = () => app().emulators.economic.state;
const rackbeatState = () => app().emulators.rackbeat.state;
const agreement = () => economicState().agreement(agreementNumber);
const economicCalls = () =>
  Object.entries(economicState().counters.toJSON())
    .filter(([k]) => k.startsWith("requests."))
    .reduce((s, [, n]) => s + n, 0);

const settings = activeSettings;
const configure = (values: SettingsValues, activate = true) =>
  saveSettingsFor(installationId, values, activate);

/** A new invoice in Rackbeat for a domestic customer, booked (which sends the booked webhook). */
async function bookInvoice(
  lines: { child_id: string; quantity: number; line_price: number; discount_percentage?: number }[],
  customer?: number,
) {
  const customers = [...rackbeatState().account(accountId).customers.values()];
  const customerId = customer ?? customers.find((c) => c.vat_zone === "domestic")!.number;
  const { data } = await rackbeat.request<{ customer_invoice: { number: number } }>("/customer-invoices", {
    method: "POST",
    body: { customer_id: customerId, invoice_date: "2026-11-20", lines },
  });
  const { data: booked } = await rackbeat.request<{
    customer_invoice: { number: number; total_subtotal: number };
  }>(`/customer-invoices/${data.customer_invoice.number}/book`, { method: "POST", body: {} });
  return booked.customer_invoice;
}
const transferOf = (key: string) => transferByKey(db(), installationId, key);
const alertOf = async () =>
  (
    await db()
      .select()
      .from(schema.transfers)
      .where(
        and(eq(schema.transfers.installationId, installationId), eq(schema.transfers.kind, "alert_email")),
      )
  )[0];
const waitForTransfer = async (key: string) => {
  await expect.poll(() => transferOf(key).then(Boolean), { timeout: 5000 }).toBe(true);
  return (await transferOf(key))!;
};
const bookedWithReference = (number: number) =>
  [...agreement().booked.values()].filter(
    (b) => (b.references as { other?: string } | undefined)?.other === `rackbeat-invoice:${number}`,
  );
const products = () =>
  [...rackbeatState().account(accountId).products.values()].filter((p) => /^\d+$/.test(p.number));

beforeAll(async () => {
  const rb = rackbeatState().addAccount("Transfer Test ApS");
  const ec = economicState().addAgreement("Transfer Test ApS");
  accountId = rb.id;
  agreementNumber = ec.agreementNumber;
  await db()
    .delete(schema.installations)
    .where(eq(schema.installations.rackbeatAccountId, String(accountId)));
  installationId = await installViaRackbeat(app().emulators, accountId, agreementNumber);
  rackbeat = new RackbeatClient(rackbeatTokenOf((await findInstallation(installationId))!)!);
  await configure(settings());
});

beforeEach(async () => {
  await fetch(`${app().emulators.economic.server.url}/__control/faults`, { method: "DELETE" });
  await fetch(`${app().emulators.rackbeat.server.url}/__control/faults`, { method: "DELETE" });
});

describe("customer invoices", () => {
  it("a booked invoice arrives by webhook and lands booked in e-conomic with Rackbeat's totals", async () => {
    const [a, b] = products();
    const invoice = await bookInvoice([
      { child_id: a.number, quantity: 3, line_price: 12.5, discount_percentage: 10 },
      { child_id: b.number, quantity: 7, line_price: 1.23456 },
    ]);
    const queued = await waitForTransfer(`customer_invoice:${invoice.number}`);
    expect(queued.status).toBe("pending");
    const summary = await runOutbox({ budgetMs: 10_000, installationId });
    expect(summary.succeeded).toBeGreaterThanOrEqual(1);
    const done = (await transferOf(`customer_invoice:${invoice.number}`))!;
    expect(done).toMatchObject({
      status: "succeeded",
      economicReference: expect.stringMatching(/^booked:\d+$/),
    });
    expect(done.settingsVersion).toBe((await loadSettings(installationId)).version);
    const [booked] = bookedWithReference(invoice.number);
    expect(booked.netAmount).toBe(invoice.total_subtotal);
    expect((done.payload as { reshaped: { line: number; reason: string }[] }).reshaped).toEqual([
      { line: 2, reason: "price_decimals" },
    ]);
    // The customer and both products were created with it, under Rackbeat's numbers.
    expect(agreement().products.has(a.number) && agreement().products.has(b.number)).toBe(true);
    // The attempt that ended it is the row itself (one write less); the history shows it.
    const filed = await db()
      .select()
      .from(schema.transferAttempts)
      .where(eq(schema.transferAttempts.transferId, done.id));
    expect(filed).toEqual([]);
    const shown = (await getTransfer(installationId, done.id))!.attempts;
    expect(shown.map((x) => [x.attempt, x.outcome])).toEqual([[1, "succeeded"]]);
    expect(shown[0].startedAt.getTime()).toBeLessThanOrEqual(shown[0].finishedAt!.getTime());
  });

  it("at steady state costs exactly 2 e-conomic calls when booked, 1 as a draft", async () => {
    const [a] = products();
    await runOutbox({ budgetMs: 10_000, installationId });
    const warm = await bookInvoice([{ child_id: a.number, quantity: 1, line_price: 10 }]);
    await waitForTransfer(`customer_invoice:${warm.number}`);
    await runOutbox({ budgetMs: 10_000, installationId });

    const before = economicCalls();
    const steady = await bookInvoice([{ child_id: a.number, quantity: 2, line_price: 10 }]);
    await waitForTransfer(`customer_invoice:${steady.number}`);
    await runOutbox({ budgetMs: 10_000, installationId });
    expect(economicCalls() - before).toBe(2);

    await configure(settings((s) => (s.debtor.postInvoices = false)));
    const beforeDraft = economicCalls();
    const draft = await bookInvoice([{ child_id: a.number, quantity: 3, line_price: 10 }]);
    await waitForTransfer(`customer_invoice:${draft.number}`);
    await runOutbox({ budgetMs: 10_000, installationId });
    expect(economicCalls() - beforeDraft).toBe(1);
    expect((await transferOf(`customer_invoice:${draft.number}`))!.economicReference).toMatch(/^draft:\d+$/);
    await configure(settings());
  });

  it("three webhook deliveries and a manual transfer still make one e-conomic invoice", async () => {
    const [a] = products();
    const invoice = await bookInvoice([{ child_id: a.number, quantity: 1, line_price: 99 }]);
    const hook = rackbeatState().webhooks.find(
      (w) => w.accountId === accountId && w.event === "customer_invoice.booked",
    )!;
    for (let i = 0; i < 2; i++)
      await fetch(`${app().appUrl}/api/webhooks/rackbeat`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Rackbeat-Webhook-Token": hook.token,
          "Rackbeat-Webhook-Event": hook.event,
          "Rackbeat-Account-Id": String(accountId),
        },
        body: JSON.stringify({ key_name: "number", key: String(invoice.number) }),
      });
    await waitForTransfer(`customer_invoice:${invoice.number}`);
    const manual = await requestManualInvoiceTransfer({
      installation: (await findInstallation(installationId))!,
      invoiceNumber: String(invoice.number),
      actor: "Bente",
    });
    expect(manual.message.code).toBe("manual.already_on_its_way");
    await runOutbox({ budgetMs: 10_000, installationId });
    expect(bookedWithReference(invoice.number)).toHaveLength(1);
  });

  it("an answer lost after e-conomic committed is resolved by our reference, not by writing again", async () => {
    const [a] = products();
    await fetch(`${app().emulators.economic.server.url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({
        commitThenTimeout: [{ path: "/invoices/booked", method: "POST", count: 1, hangMs: 100 }],
      }),
    });
    const invoice = await bookInvoice([{ child_id: a.number, quantity: 1, line_price: 42 }]);
    await waitForTransfer(`customer_invoice:${invoice.number}`);
    await runOutbox({ budgetMs: 10_000, installationId });
    const first = (await transferOf(`customer_invoice:${invoice.number}`))!;
    expect(first.status).toBe("pending");
    expect(first.errorCode).toBe("transfer.service_unreachable");
    // Make it due now instead of after the backoff.
    await db()
      .update(schema.transfers)
      .set({ runAfter: new Date() })
      .where(eq(schema.transfers.id, first.id));
    await runOutbox({ budgetMs: 10_000, installationId });
    const done = (await transferOf(`customer_invoice:${invoice.number}`))!;
    expect(done.status).toBe("succeeded");
    expect((done.payload as { found?: boolean }).found).toBe(true);
    expect(bookedWithReference(invoice.number)).toHaveLength(1);
  });

  it("shows e-conomic's own words when it refuses, and succeeds on Retry once the cause is fixed", async () => {
    const [a] = products();
    // A layout made in Rackbeat after activation, on the customer: matched with no e-conomic layout yet.
    const account = rackbeatState().account(accountId);
    const customer = [...account.customers.values()].find((c) => c.vat_zone === "domestic")!;
    const before = customer.layout;
    account.layouts.push({ number: 9, name: "Midlertidig", is_default: false });
    customer.layout = { number: 9, name: "Midlertidig" };
    const invoice = await bookInvoice([{ child_id: a.number, quantity: 1, line_price: 5 }], customer.number);
    customer.layout = before;
    await waitForTransfer(`customer_invoice:${invoice.number}`);
    await runOutbox({ budgetMs: 10_000, installationId });
    const failed = (await transferOf(`customer_invoice:${invoice.number}`))!;
    expect(failed).toMatchObject({
      status: "failed",
      errorCode: "transfer.layout_not_matched",
      errorParams: { layout: "Midlertidig", setting: "layouts" },
    });

    // e-conomic refuses a draft in a closed accounting year: its own message is kept.
    const [b] = products();
    const old = await rackbeat.request<{ customer_invoice: { number: number } }>("/customer-invoices", {
      method: "POST",
      body: {
        customer_id: [...rackbeatState().account(accountId).customers.values()][0].number,
        invoice_date: "2025-03-01",
        lines: [{ child_id: b.number, quantity: 1, line_price: 5 }],
      },
    });
    await rackbeat.request(`/customer-invoices/${old.data.customer_invoice.number}/book`, {
      method: "POST",
      body: {},
    });
    await waitForTransfer(`customer_invoice:${old.data.customer_invoice.number}`);
    await runOutbox({ budgetMs: 10_000, installationId });
    const refused = (await transferOf(`customer_invoice:${old.data.customer_invoice.number}`))!;
    expect(refused).toMatchObject({ status: "failed", errorCode: "transfer.economic_refused" });
    expect(refused.vendorMessage).toMatch(/accounting year/);

    // e-conomic's refusal is fixed in e-conomic: Retry. The layout is fixed in the settings: saving them
    // queues the transfer that waited on them by itself.
    expect(
      (await retryFailedTransfers({ installationId, transferId: refused.id, actor: "Bente" })).count,
    ).toBe(1);
    await configure(settings((s) => (s.layouts = { "19": "1", "20": "2", "21": "9" })));
    expect((await transferOf(`customer_invoice:${invoice.number}`))!.status).toBe("pending");
    await runOutbox({ budgetMs: 10_000, installationId });
    expect((await transferOf(`customer_invoice:${invoice.number}`))!.status).toBe("succeeded");
    account.layouts.pop();
    await configure(settings());
  });

  it("retries a busy e-conomic with backoff, and pauses (not fails) on a revoked grant", async () => {
    const [a] = products();
    await fetch(`${app().emulators.economic.server.url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({
        failures: [{ path: "/invoices/drafts", method: "POST", status: 503, count: 1 }],
      }),
    });
    const invoice = await bookInvoice([{ child_id: a.number, quantity: 1, line_price: 7 }]);
    await waitForTransfer(`customer_invoice:${invoice.number}`);
    await runOutbox({ budgetMs: 10_000, installationId });
    const busy = (await transferOf(`customer_invoice:${invoice.number}`))!;
    expect(busy).toMatchObject({ status: "pending", errorCode: "transfer.service_busy", attempts: 1 });
    expect(busy.runAfter.getTime()).toBeGreaterThan(Date.now() + 10_000);

    // The grant is revoked: the installation pauses, the transfer keeps its place (and its attempt back).
    const installation = (await findInstallation(installationId))!;
    await fetch(`${app().emulators.economic.server.url}/__control/revoke`, {
      method: "POST",
      body: JSON.stringify({ agreementNumber }),
    });
    await db().update(schema.transfers).set({ runAfter: new Date() }).where(eq(schema.transfers.id, busy.id));
    await runOutbox({ budgetMs: 10_000, installationId });
    expect((await findInstallation(installationId))!.status).toBe("economic_revoked");
    expect((await transferOf(`customer_invoice:${invoice.number}`))!).toMatchObject({
      status: "pending",
      attempts: 1,
    });
    // Nothing is claimed while paused but the e-mail that says so (lib/alerts/).
    const paused = await runOutbox({ budgetMs: 2000, installationId });
    expect(paused.claimed).toBe(1);
    expect(await transferOf(`alert_email:${(await alertOf())!.sourceId}`)).toMatchObject({
      status: "succeeded",
    });
    expect((await runOutbox({ budgetMs: 2000, installationId })).claimed).toBe(0);
    // Reconnected (a fresh grant), it goes through.
    const grant = economicState().issueGrant(agreementNumber).token;
    const { encryptToken } = await import("@/lib/crypto");
    await db()
      .update(schema.installations)
      .set({ economicGrantToken: encryptToken(grant), status: "active" })
      .where(eq(schema.installations.id, installation.id));
    // A paused row waits a minute before it is tried again; let that minute pass.
    await db().update(schema.transfers).set({ runAfter: new Date() }).where(eq(schema.transfers.id, busy.id));
    await runOutbox({ budgetMs: 10_000, installationId });
    expect((await transferOf(`customer_invoice:${invoice.number}`))!.status).toBe("succeeded");
  });
});

describe("EAN invoices and customers", () => {
  it("a new Rackbeat customer is created in e-conomic; its EAN invoice stays a draft with “Never post EAN invoices”", async () => {
    await configure(settings((s) => (s.debtor.neverPostEanInvoices = true)));
    try {
      const { data } = await rackbeat.request<{ customer: { number: number } }>("/customers", {
        method: "POST",
        body: { company_name: "Kommunen EAN", ean: "5790000123456", vat_zone: "domestic", group_id: 1 },
      });
      const number = data.customer.number;
      await waitForTransfer(`customer:${number}`);
      await runOutbox({ budgetMs: 10_000, installationId });
      expect((await transferOf(`customer:${number}`))!).toMatchObject({
        status: "succeeded",
        economicReference: `customer:${number}`,
      });
      expect(agreement().customers.get(number)).toMatchObject({ name: "Kommunen EAN", ean: "5790000123456" });

      const [a] = products();
      const invoice = await bookInvoice([{ child_id: a.number, quantity: 1, line_price: 100 }], number);
      await waitForTransfer(`customer_invoice:${invoice.number}`);
      await runOutbox({ budgetMs: 10_000, installationId });
      const done = (await transferOf(`customer_invoice:${invoice.number}`))!;
      expect(done.economicReference).toMatch(/^draft:\d+$/);
      const draft = agreement().drafts.get(Number(done.economicReference!.split(":")[1]))!;
      expect((draft.recipient as { ean?: string }).ean).toBe("5790000123456");
      // Without the setting the same kind of invoice is booked.
      await configure(settings());
      const second = await bookInvoice([{ child_id: a.number, quantity: 2, line_price: 100 }], number);
      await waitForTransfer(`customer_invoice:${second.number}`);
      await runOutbox({ budgetMs: 10_000, installationId });
      expect((await transferOf(`customer_invoice:${second.number}`))!.economicReference).toMatch(
        /^booked:\d+$/,
      );
    } finally {
      await configure(settings());
    }
  });

  it("skips an invoice when the debtor integration is off, and says why", async () => {
    await configure(settings((s) => (s.debtor.enabled = false)));
    try {
      const [a] = products();
      const invoice = await bookInvoice([{ child_id: a.number, quantity: 1, line_price: 3 }]);
      // The webhook still queues it (the settings may change before it runs); the transfer decides.
      await waitForTransfer(`customer_invoice:${invoice.number}`);
      await runOutbox({ budgetMs: 10_000, installationId });
      expect((await transferOf(`customer_invoice:${invoice.number}`))!).toMatchObject({
        status: "cancelled",
        errorCode: "transfer.part_not_active",
        errorParams: { part: "debtor" },
      });
    } finally {
      await configure(settings());
    }
  });
});

describe("One Stop VAT", () => {
  it("a private customer in Germany is invoiced in the zone and group chosen for Germany; a missing country fails, naming it", async () => {
    const [a] = products();
    const create = async (country: string) =>
      (
        await rackbeat.request<{ customer: { number: number } }>("/customers", {
          method: "POST",
          body: { company_name: `Privat ${country}`, address_country: country, vat_zone: "eu", group_id: 2 },
        })
      ).data.customer.number;
    const german = await create("Tyskland");
    const french = await create("FR");
    await configure(
      settings((s) => {
        s.debtor.oneStopVat = true;
        s.debtor.oneStopVatCountries = { DE: { vatZone: "1", customerGroup: "3" } };
      }),
    );
    try {
      const toGermany = await bookInvoice([{ child_id: a.number, quantity: 1, line_price: 100 }], german);
      const toFrance = await bookInvoice([{ child_id: a.number, quantity: 1, line_price: 100 }], french);
      await waitForTransfer(`customer_invoice:${toFrance.number}`);
      await runOutbox({ budgetMs: 10_000, installationId });
      expect((await transferOf(`customer_invoice:${toGermany.number}`))!.status).toBe("succeeded");
      const made = agreement().customers.get(german)!;
      expect(made).toMatchObject({
        vatZone: { vatZoneNumber: 1 },
        customerGroup: { customerGroupNumber: 3 },
      });
      const [booked] = bookedWithReference(toGermany.number);
      expect((booked.recipient as { vatZone: { vatZoneNumber: number } }).vatZone.vatZoneNumber).toBe(1);
      const failed = (await transferOf(`customer_invoice:${toFrance.number}`))!;
      expect(failed.status).toBe("failed");
      expect(failed.errorCode).toBe("transfer.one_stop_vat_country_missing");
      expect(failed.errorParams).toMatchObject({ country: "FR" });
      expect(agreement().customers.has(french)).toBe(false);
    } finally {
      await configure(settings());
    }
  });
});

describe("Mark invoices as sent", () => {
  const rackbeatInvoice = (n: number) => rackbeatState().account(accountId).customerInvoices.get(n)!;

  it("marks an invoice we booked as sent in Rackbeat by a follow-up transfer of its own, retried by itself without failing the invoice or touching e-conomic", async () => {
    const [a] = products();
    await configure(settings((s) => (s.debtor.markInvoicesAsSent = true)));
    try {
      const first = await bookInvoice([{ child_id: a.number, quantity: 1, line_price: 10 }]);
      await waitForTransfer(`customer_invoice:${first.number}`);
      await runOutbox({ budgetMs: 10_000, installationId });
      expect(rackbeatInvoice(first.number).is_sent).toBe(true);
      expect(await transferOf(`mark_as_sent:${first.number}`)).toMatchObject({
        kind: "mark_as_sent",
        status: "succeeded",
        attempts: 1,
      });

      const second = await bookInvoice([{ child_id: a.number, quantity: 2, line_price: 10 }]);
      await waitForTransfer(`customer_invoice:${second.number}`);
      await fetch(`${app().emulators.rackbeat.server.url}/__control/faults`, {
        method: "PUT",
        body: JSON.stringify({
          failures: [{ path: `/api/customer-invoices/${second.number}/mark-as-sent`, status: 500, count: 1 }],
        }),
      });
      await runOutbox({ budgetMs: 10_000, installationId });
      expect((await transferOf(`customer_invoice:${second.number}`))!.status).toBe("succeeded");
      const unmarked = (await transferOf(`mark_as_sent:${second.number}`))!;
      expect(unmarked).toMatchObject({ status: "pending", attempts: 1, errorCode: "transfer.service_busy" });
      // Its own policy: the next try is minutes away (from 10 minutes, with jitter), not the invoice's 30 s.
      expect(unmarked.runAfter.getTime()).toBeGreaterThan(Date.now() + 4 * 60_000);
      expect(rackbeatInvoice(second.number).is_sent).toBeFalsy();

      await db()
        .update(schema.transfers)
        .set({ runAfter: sql`now()` })
        .where(eq(schema.transfers.id, unmarked.id));
      const before = economicCalls();
      await runOutbox({ budgetMs: 10_000, installationId });
      expect(await transferOf(`mark_as_sent:${second.number}`)).toMatchObject({
        status: "succeeded",
        attempts: 2,
      });
      expect(rackbeatInvoice(second.number).is_sent).toBe(true);
      expect(bookedWithReference(second.number)).toHaveLength(1);
      expect(economicCalls() - before).toBe(0);
    } finally {
      await configure(settings());
    }
  });

  it("finds a draft the customer booked later in e-conomic, records its number and marks the invoice as sent", async () => {
    const [a] = products();
    await configure(
      settings((s) => {
        s.debtor.postInvoices = false;
        s.debtor.markInvoicesAsSent = true;
      }),
    );
    try {
      const invoice = await bookInvoice([{ child_id: a.number, quantity: 4, line_price: 25 }]);
      await waitForTransfer(`customer_invoice:${invoice.number}`);
      await runOutbox({ budgetMs: 10_000, installationId });
      const draft = (await transferOf(`customer_invoice:${invoice.number}`))!;
      expect(draft.economicReference).toMatch(/^draft:\d+$/);
      expect(rackbeatInvoice(invoice.number).is_sent).toBeFalsy();

      const installation = (await findInstallation(installationId))!;
      // Not booked yet: the sweep looks (one call) and leaves it.
      expect(await reconcileInstallation(installation)).toMatchObject({ bookedLater: 0 });

      // The bookkeeper books our draft in e-conomic.
      const economic = new EconomicClient(economicGrantOf(installation)!);
      const { data: booked } = await economic.rest<{ bookedInvoiceNumber: number }>("/invoices/booked", {
        method: "POST",
        body: { draftInvoice: { draftInvoiceNumber: Number(draft.economicReference!.slice(6)) } },
      });
      expect(await reconcileInstallation(installation)).toMatchObject({ bookedLater: 1 });
      await runOutbox({ budgetMs: 10_000, installationId });
      expect((await transferOf(`mark_as_sent:${invoice.number}`))!.status).toBe("succeeded");
      const after = (await transferOf(`customer_invoice:${invoice.number}`))!;
      expect(after.economicReference).toBe(`booked:${booked.bookedInvoiceNumber}`);
      expect(after.payload).toMatchObject({ bookedLaterInEconomic: true });
      expect(rackbeatInvoice(invoice.number).is_sent).toBe(true);
      // Done once: the next sweep has nothing left to look for.
      const before = economicCalls();
      expect(await reconcileInstallation(installation)).toMatchObject({ bookedLater: 0 });
      expect(economicCalls() - before).toBe(0);
    } finally {
      await configure(settings());
    }
  });
});

describe("the reconcile sweep", () => {
  it("with no webhook delivered, every booked invoice and supplier invoice still arrives, once", async () => {
    const [a] = products();
    for (const w of rackbeatState().webhooks) if (w.accountId === accountId) w.is_active = false;
    try {
      const invoices = [
        await bookInvoice([{ child_id: a.number, quantity: 1, line_price: 11 }]),
        await bookInvoice([{ child_id: a.number, quantity: 2, line_price: 11 }]),
      ];
      const supplier = [...rackbeatState().account(accountId).suppliers.values()][0];
      const { data: created } = await rackbeat.request<{ supplier_invoice: { number: number } }>(
        "/supplier-invoices",
        {
          method: "POST",
          body: {
            supplier_id: supplier.number,
            invoice_date: "2026-11-19",
            lines: [{ child_id: a.number, quantity: 5, line_price: 7 }],
          },
        },
      );
      const supplierInvoice = created.supplier_invoice.number;
      await rackbeat.request(`/supplier-invoices/${supplierInvoice}/book`, { method: "POST", body: {} });
      expect(await transferOf(`supplier_invoice:${supplierInvoice}`)).toBeUndefined();
      for (const invoice of invoices)
        expect(await transferOf(`customer_invoice:${invoice.number}`)).toBeUndefined();
      const installation = (await findInstallation(installationId))!;
      expect((await reconcileInstallation(installation)).enqueued).toBeGreaterThanOrEqual(2);
      // A second sweep finds nothing new to queue for invoices already queued.
      await reconcileInstallation(installation);
      await runOutbox({ budgetMs: 20_000, installationId });
      for (const invoice of invoices) {
        expect((await transferOf(`customer_invoice:${invoice.number}`))!.status).toBe("succeeded");
        expect(bookedWithReference(invoice.number)).toHaveLength(1);
      }
      expect((await transferOf(`supplier_invoice:${supplierInvoice}`))!.status).toBe("succeeded");
      const entries = agreement().entries.filter(
        (e) => e.journalNumber === 2 && (e as { text?: string }).text?.endsWith(` ${supplierInvoice}`),
      );
      expect(entries).toHaveLength(1);
      // Another sweep and another run change nothing in e-conomic.
      await reconcileInstallation((await findInstallation(installationId))!);
      await runOutbox({ budgetMs: 5_000, installationId });
      expect(
        agreement().entries.filter(
          (e) => e.journalNumber === 2 && (e as { text?: string }).text?.endsWith(` ${supplierInvoice}`),
        ),
      ).toHaveLength(1);
    } finally {
      for (const w of rackbeatState().webhooks) if (w.accountId === accountId) w.is_active = true;
    }
  });
});

describe("the sweep reads only what changed", () => {
  /**
   * The real client, counting the list pages it asks for; optionally as a Rackbeat whose list refuses the
   * changed-since filter (422, as an unfilterable property is refused) and ignores the sort.
   */
  const counting = (options: { refuseFilter?: boolean; dropSort?: boolean } = {}) => {
    const calls: string[] = [];
    const client = {
      request: (path: string, opts?: object) => {
        calls.push(path);
        if (options.refuseFilter && path.includes("updated_at_from="))
          return Promise.reject(
            new HttpError("Rackbeat", 422, { message: "The given data was invalid." }, undefined, path),
          );
        return rackbeat.request(
          options.dropSort ? path.replace(/order_by=[^&]+&order_direction=[^&]+&/, "") : path,
          opts,
        );
      },
      listAll: (path: string, key: string) => {
        calls.push(`${path} (all)`);
        return rackbeat.listAll(path, key);
      },
    } as unknown as RackbeatClient;
    return { client, calls };
  };

  it("asks Rackbeat for what changed since the checkpoint: one page for one new invoice among hundreds", async () => {
    const account = rackbeatState().account(accountId);
    const [a] = products();
    const customer = [...account.customers.values()][0].number;
    const first = Math.max(10_000, ...account.customerInvoices.keys()) + 1;
    // Later than anything else in the account, so that these are the newest documents.
    const base = Date.now() + 3_600_000 * 24;
    for (let i = 0; i < 450; i++) {
      const inv = createInvoiceRecord(
        account,
        "customer",
        { customer_id: customer, lines: [{ child_id: a.number, quantity: 1, line_price: 1 }] },
        first + i,
      );
      inv.is_booked = true;
      // A minute apart: the sweep's ten-minute margin reaches back over a few of them, not all.
      inv.updated_at = new Date(base + i * 60_000).toISOString();
    }
    const checkpoint = new Date(base + 449 * 60_000).toISOString();
    const newest = createInvoiceRecord(
      account,
      "customer",
      { customer_id: customer, lines: [{ child_id: a.number, quantity: 1, line_price: 1 }] },
      first + 450,
    );
    newest.is_booked = true;
    newest.updated_at = new Date(base + 500 * 60_000).toISOString();

    // Rackbeat's documented changed-since filter: one page holds the one new invoice.
    const filtered = counting();
    const changed = await changedSince(
      filtered.client,
      "/customer-invoices",
      "customer_invoices",
      checkpoint,
    );
    expect(changed.map((d) => Number(d.number)).sort()).toEqual([first + 449, first + 450]);
    expect(filtered.calls).toEqual([
      `/customer-invoices?updated_at_from=${encodeURIComponent(updatedAtFrom(checkpoint))}&limit=200&page=1`,
    ]);

    // A list that refuses the filter (422): newest first, stopping at the checkpoint.
    const sorted = counting({ refuseFilter: true });
    const again = await changedSince(sorted.client, "/customer-invoices", "customer_invoices", checkpoint);
    expect(again.map((d) => Number(d.number)).sort()).toEqual([first + 449, first + 450]);
    expect(sorted.calls).toHaveLength(2);

    // …and that also ignores the order: the sweep notices and reads everything rather than miss one.
    const unsorted = counting({ refuseFilter: true, dropSort: true });
    const all = await changedSince(unsorted.client, "/customer-invoices", "customer_invoices", checkpoint);
    expect(all.map((d) => Number(d.number)).sort()).toEqual([first + 449, first + 450]);
    expect(unsorted.calls.at(-1)).toBe("/customer-invoices (all)");
  });

  it("a sweep over 10,000 unchanged products costs one small page", async () => {
    const account = rackbeatState().account(accountId);
    const old = "2026-01-05T08:00:00Z";
    for (let i = 0; i < 10_000; i++) {
      const number = `SWEEP-${i}`;
      account.products.set(number, { ...products()[0], number, urlfriendly_number: number, updated_at: old });
    }
    const counted = counting();
    const found = await changedSince(counted.client, "/products", "products", new Date().toISOString());
    expect(found).toEqual([]);
    expect(counted.calls).toHaveLength(1);
    for (let i = 0; i < 10_000; i++) account.products.delete(`SWEEP-${i}`);
  });
});

describe("supplier invoices", () => {
  it("become one voucher in the chosen day book, one entry per account, adding up to Rackbeat's total", async () => {
    const account = rackbeatState().account(accountId);
    const supplier = [...account.suppliers.values()].find((s) => s.vat_zone === "domestic")!;
    const [p1] = products().filter((p) => p.group.number === 1);
    const [p2] = products().filter((p) => p.group.number === 2);
    const { data } = await rackbeat.request<{ supplier_invoice: { number: number } }>("/supplier-invoices", {
      method: "POST",
      body: {
        supplier_id: supplier.number,
        invoice_date: "2026-11-18",
        lines: [
          { child_id: p1.number, quantity: 3, line_price: 100.333 },
          { child_id: p2.number, quantity: 1, line_price: 50 },
        ],
      },
    });
    const { data: booked } = await rackbeat.request<{
      supplier_invoice: { number: number; total_total: number };
    }>(`/supplier-invoices/${data.supplier_invoice.number}/book`, { method: "POST", body: {} });
    await waitForTransfer(`supplier_invoice:${booked.supplier_invoice.number}`);
    await runOutbox({ budgetMs: 10_000, installationId });
    const done = (await transferOf(`supplier_invoice:${booked.supplier_invoice.number}`))!;
    expect(done).toMatchObject({
      status: "succeeded",
      economicReference: expect.stringMatching(/^voucher:2026-\d+$/),
    });
    const entries = agreement().entries.filter(
      (e) =>
        e.journalNumber === 2 &&
        (e as { text?: string }).text?.endsWith(` ${booked.supplier_invoice.number}`),
    );
    expect(entries.map((e) => (e as { contraAccountNumber?: number }).contraAccountNumber).sort()).toEqual([
      1310, 1340,
    ]);
    const total = entries.reduce((s, e) => s + Math.round(e.amount * 100), 0);
    expect(total).toBe(-Math.round(booked.supplier_invoice.total_total * 100));
    expect(agreement().suppliers.has(supplier.number)).toBe(true);
  });
});

describe("products", () => {
  it("a changed product is sent again; an unchanged one costs no e-conomic call", async () => {
    const [p] = products();
    await rackbeat.request(`/products/${encodeURIComponent(p.number)}`, {
      method: "PUT",
      body: { ...p, name: `${p.name} (ny)` },
    });
    await expect
      .poll(async () => (await transferOf(`product:${p.number}`))?.status, { timeout: 5000 })
      .toBe("pending");
    await runOutbox({ budgetMs: 10_000, installationId });
    expect(agreement().products.get(p.number)?.name).toBe(`${p.name} (ny)`);
    // The same product again, unchanged: the local record's hash says there is nothing to send.
    await db()
      .update(schema.transfers)
      .set({ status: "pending", runAfter: new Date() })
      .where(eq(schema.transfers.idempotencyKey, `product:${p.number}`));
    const before = economicCalls();
    await runOutbox({ budgetMs: 10_000, installationId });
    expect(economicCalls()).toBe(before);
  });

  it("two transfers creating the same new e-conomic customer at once both succeed, with one customer", async () => {
    const { ensureRecord } = await import("@/lib/transfers/record-sync");
    const economic = new EconomicClient(economicGrantOf((await findInstallation(installationId))!)!);
    const write = (name: string) => ({
      kind: "customer" as const,
      number: "4242",
      owned: {
        customerNumber: 4242,
        name,
        currency: "DKK",
        customerGroup: { customerGroupNumber: 1 },
        paymentTerms: { paymentTermsNumber: 2 },
        vatZone: { vatZoneNumber: 1 },
      },
      createOnly: {},
    });
    const sync = { economic, installationId, writeKey: (step: string) => `race-${step}` };
    const outcomes = await Promise.all([
      ensureRecord(sync, write("Samtidig A/S")),
      ensureRecord(sync, write("Samtidig A/S ")),
    ]);
    expect(outcomes.sort()).toEqual(["created", "updated"]);
    expect(agreement().customers.get(4242)).toBeDefined();
  });

  it("a new Rackbeat supplier becomes an e-conomic supplier in the group chosen as “Account for supplier groups”", async () => {
    await configure(settings((s) => (s.creditor.supplierGroup = "2")));
    try {
      const { data } = await rackbeat.request<{ supplier: { number: number } }>("/suppliers", {
        method: "POST",
        body: {
          company_name: "Grossisten GmbH",
          address_country: "DE",
          vat_zone: "eu",
          company_vat: "DE123",
        },
      });
      const number = data.supplier.number;
      await expect
        .poll(async () => (await transferOf(`supplier:${number}`))?.status, { timeout: 5000 })
        .toBe("pending");
      await runOutbox({ budgetMs: 10_000, installationId });
      const t = (await transferOf(`supplier:${number}`))!;
      expect(t).toMatchObject({
        status: "succeeded",
        economicReference: `supplier:${number}`,
      });
      expect(agreement().suppliers.get(number)).toMatchObject({
        name: "Grossisten GmbH",
        supplierGroup: { supplierGroupNumber: 2 },
        // Rackbeat's "eu" is e-conomic's VAT zone 3 in this agreement (matched in the settings).
        vatZone: { vatZoneNumber: 3 },
      });
    } finally {
      await configure(settings());
    }
  });
});
