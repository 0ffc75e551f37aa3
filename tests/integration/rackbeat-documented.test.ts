import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { schema } from "@/db/client";
import { findInstallation, rackbeatTokenOf } from "@/lib/installations/repository";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { loadSettings } from "@/lib/settings/repository";
import { saveSettings } from "@/lib/settings/save";
import { defaultSettings, matrixKey, type SettingsValues } from "@/lib/settings/schema";
import { reconcileInstallation } from "@/lib/transfers/reconcile";
import { runOutbox } from "@/lib/transfers/worker";
import { UNCERTAIN } from "@/lib/uncertain";
import { installViaRackbeat, withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";
import { transferByKey } from "@/tests/helpers/transfers";
import { demoMappings } from "@/tests/helpers/settings";

/**
 * Rackbeat as its documentation and live integrations show it (rackbeat-api.md §8), and no traps for
 * the person who sets the app up: what they see when they activate, when Rackbeat takes access back, when
 * a guessed call cannot work, and when the same record changes twice.
 */
const db = withTestDb();
const app = withApp();
let installationId: string;
let accountId: number;
let agreementNumber: number;
let rackbeat: RackbeatClient;

const rackbeatAccount = () => app().emulators.rackbeat.state.account(accountId);
const agreement = () => app().emulators.economic.state.agreement(agreementNumber);
const settings = (patch: (s: SettingsValues) => void = () => {}): SettingsValues => {
  const s = defaultSettings();
  s.mappings = demoMappings();
  s.debtor = { ...s.debtor, enabled: true, useActualQuantity: true, postInvoices: true };
  s.creditor = { enabled: true, supplierGroup: "1", dayBook: "2" };
  s.accounting = { standardAccount: "1310", matrix: { [matrixKey(1, 1)]: "1310" } };
  s.layouts = { "19": "1", "20": "2" };
  patch(s);
  return s;
};
async function save(values: SettingsValues, activate = true) {
  return saveSettings({
    installation: (await findInstallation(installationId))!,
    actor: "Bente",
    values,
    expectedVersion: (await loadSettings(installationId)).version,
    activate,
  });
}
const transferOf = (key: string) => transferByKey(db(), installationId, key);
/** One delivery as Rackbeat sends it live: the event in a header, `{key_name, key}` in the body. */
async function deliver(event: string, key: string | number) {
  const hook = app().emulators.rackbeat.state.webhooks.find(
    (w) => w.accountId === accountId && w.event === event,
  )!;
  const res = await fetch(`${app().appUrl}/api/webhooks/rackbeat`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Rackbeat-Webhook-Token": hook.token!,
      "Rackbeat-Webhook-Event": event,
      "Rackbeat-Account-Id": String(accountId),
    },
    body: JSON.stringify({ key_name: "number", key: String(key) }),
  });
  return res.status;
}

beforeAll(async () => {
  accountId = app().emulators.rackbeat.state.addAccount("Som Dokumenteret ApS").id;
  agreementNumber = app().emulators.economic.state.addAgreement("Som Dokumenteret ApS").agreementNumber;
  installationId = await installViaRackbeat(app().emulators, accountId, agreementNumber);
  rackbeat = new RackbeatClient(rackbeatTokenOf((await findInstallation(installationId))!)!);
  const saved = await save(settings());
  if (!saved.ok) throw new Error(JSON.stringify(saved));
  // Deliveries in these tests are sent by hand, as Rackbeat would: the emulator's own stay quiet.
  for (const w of app().emulators.rackbeat.state.webhooks) if (w.accountId === accountId) w.is_active = false;
});

describe("webhooks: a change is not a replay", () => {
  it("a second change of the same product, its delivery byte for byte the first, is transferred too", async () => {
    const product = [...rackbeatAccount().products.values()].find((p) => /^\d+$/.test(p.number))!;
    const event = UNCERTAIN.rackbeat.webhookEvents.productUpdated;
    product.name = "Første ændring";
    expect(await deliver(event, product.number)).toBe(202);
    await runOutbox({ budgetMs: 10_000, installationId });
    expect(agreement().products.get(product.number)?.name).toBe("Første ændring");

    product.name = "Anden ændring";
    expect(await deliver(event, product.number)).toBe(202);
    expect((await transferOf(`product:${product.number}`))?.status).toBe("pending");
    await runOutbox({ budgetMs: 10_000, installationId });
    expect(agreement().products.get(product.number)?.name).toBe("Anden ændring");
  });

  it("a booked invoice delivered again is still acknowledged without new work", async () => {
    const event = UNCERTAIN.rackbeat.webhookEvents.customerInvoiceBooked;
    expect(await deliver(event, 987654)).toBe(202);
    expect(await deliver(event, 987654)).toBe(200);
  });
});

describe("Rackbeat's access", () => {
  /** A booked invoice for a domestic customer, made in Rackbeat (its webhook quiet) and queued. */
  async function queuedInvoice() {
    const customer = [...rackbeatAccount().customers.values()].findLast(
      (c) => c.vat_zone === "domestic" && !c.ean,
    )!;
    const product = [...rackbeatAccount().products.values()].find((p) => /^\d+$/.test(p.number))!;
    const { data } = await rackbeat.request<{ customer_invoice: { number: number } }>("/customer-invoices", {
      method: "POST",
      body: {
        customer_id: customer.number,
        lines: [{ child_id: product.number, quantity: 1, line_price: 5 }],
      },
    });
    const number = data.customer_invoice.number;
    await rackbeat.request(`/customer-invoices/${number}/book`, { method: "POST", body: {} });
    expect(await deliver(UNCERTAIN.rackbeat.webhookEvents.customerInvoiceBooked, number)).toBe(202);
    return `customer_invoice:${number}`;
  }

  it("a 403 (a key scoped away from a resource) fails the transfer, naming the resource", async () => {
    const key = await queuedInvoice();
    await fetch(`${app().emulators.rackbeat.server.url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({ failures: [{ path: "/api/customer-invoices", status: 403 }] }),
    });
    await runOutbox({ budgetMs: 10_000, installationId });
    await fetch(`${app().emulators.rackbeat.server.url}/__control/faults`, { method: "DELETE" });
    expect(await transferOf(key)).toMatchObject({
      status: "failed",
      errorCode: "transfer.rackbeat_forbidden",
      errorParams: { resource: "customer-invoices" },
    });
  });

  it("a 401 pauses the installation as Rackbeat access revoked; installing again goes on, nothing lost", async () => {
    const key = await queuedInvoice();
    const token = rackbeatTokenOf((await findInstallation(installationId))!)!;
    await fetch(`${app().emulators.rackbeat.server.url}/__control/revoke`, {
      method: "POST",
      body: JSON.stringify({ token }),
    });
    await runOutbox({ budgetMs: 10_000, installationId });
    expect((await findInstallation(installationId))!.status).toBe("rackbeat_revoked");
    expect((await transferOf(key))!.status).toBe("pending");
    // Paused: further runs do not touch it, however often the cron comes.
    const attempts = (await transferOf(key))!.attempts;
    await runOutbox({ budgetMs: 10_000, installationId });
    expect((await transferOf(key))!.attempts).toBe(attempts);

    // The customer installs the app again from Rackbeat's Apps menu.
    expect(await installViaRackbeat(app().emulators, accountId, agreementNumber)).toBe(installationId);
    expect((await findInstallation(installationId))!.status).toBe("active");
    await db()
      .update(schema.transfers)
      .set({ runAfter: new Date() })
      .where(eq(schema.transfers.idempotencyKey, key));
    await runOutbox({ budgetMs: 10_000, installationId });
    expect((await transferOf(key))!.status).toBe("succeeded");
    rackbeat = new RackbeatClient(rackbeatTokenOf((await findInstallation(installationId))!)!);
    for (const w of app().emulators.rackbeat.state.webhooks)
      if (w.accountId === accountId) w.is_active = false;
  });
});

describe("“Mark invoices as sent” against a Rackbeat that has no such call", () => {
  it("a Rackbeat answering 405 sees one call in total, however many invoices and sweeps", async () => {
    const saved = await save(settings((s) => (s.debtor.markInvoicesAsSent = true)));
    expect(saved.ok).toBe(true);
    const customer = [...rackbeatAccount().customers.values()].findLast(
      (c) => c.vat_zone === "domestic" && !c.ean,
    )!;
    const product = [...rackbeatAccount().products.values()].find((p) => /^\d+$/.test(p.number))!;
    const numbers: number[] = [];
    for (let i = 0; i < 30; i++) {
      const { data } = await rackbeat.request<{ customer_invoice: { number: number } }>(
        "/customer-invoices",
        {
          method: "POST",
          body: {
            customer_id: customer.number,
            lines: [{ child_id: product.number, quantity: 1, line_price: 7 }],
          },
        },
      );
      await rackbeat.request(`/customer-invoices/${data.customer_invoice.number}/book`, {
        method: "POST",
        body: {},
      });
      numbers.push(data.customer_invoice.number);
    }
    const marks = () => app().emulators.rackbeat.state.counters.toJSON()["requests.mark_as_sent"] ?? 0;
    const before = marks();
    await fetch(`${app().emulators.rackbeat.server.url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({ failures: [{ path: "/api/customer-invoices/", method: "POST", status: 405 }] }),
    });
    try {
      for (const n of numbers) await deliver(UNCERTAIN.rackbeat.webhookEvents.customerInvoiceBooked, n);
      await runOutbox({ budgetMs: 20_000, installationId });
      for (let sweep = 0; sweep < 5; sweep++)
        await reconcileInstallation((await findInstallation(installationId))!);
    } finally {
      await fetch(`${app().emulators.rackbeat.server.url}/__control/faults`, { method: "DELETE" });
    }
    expect(marks() - before).toBe(1);
    for (const n of numbers) expect((await transferOf(`customer_invoice:${n}`))!.status).toBe("succeeded");
    expect((await findInstallation(installationId))!.markAsSentUnavailable).toMatchObject({ status: 405 });
    // Said once in the history.
    const said = await db()
      .select()
      .from(schema.auditLog)
      .where(
        and(
          eq(schema.auditLog.installationId, installationId),
          eq(schema.auditLog.action, "transfer.mark_as_sent_unavailable"),
        ),
      );
    expect(said).toHaveLength(1);
    // Switching the setting off and on tries once more.
    await save(settings());
    await save(settings((s) => (s.debtor.markInvoicesAsSent = true)));
    expect((await findInstallation(installationId))!.markAsSentUnavailable).toBeNull();
    await save(settings());
  });
});

describe("no activation into failure, and fixed means retried", () => {
  it("Activate is refused until every Rackbeat layout and every value the transfers meet is matched, each named", async () => {
    const other = app().emulators.rackbeat.state.addAccount("Ny Bruger ApS").id;
    const otherAgreement = app().emulators.economic.state.addAgreement("Ny Bruger ApS").agreementNumber;
    const id = await installViaRackbeat(app().emulators, other, otherAgreement);
    const values = defaultSettings();
    values.debtor = { ...values.debtor, enabled: true, postInvoices: true };
    const activate = async (v: SettingsValues) =>
      saveSettings({
        installation: (await findInstallation(id))!,
        actor: "Ny",
        values: v,
        expectedVersion: (await loadSettings(id)).version,
        activate: true,
      });
    const refused = await activate(values);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.fieldErrors?.layouts).toEqual({
      code: "settings.rackbeat_layouts_unmatched",
      params: { count: 2, layouts: "“Standard”, “Engelsk”" },
    });
    expect(refused.fieldErrors?.["mappings.paymentTerms.1"]).toEqual({
      code: "settings.mapping_required",
      params: { kind: "paymentTerms", name: "Netto 8 dage" },
    });
    expect((await loadSettings(id)).activatedAt).toBeNull();
    // Matched as the settings page suggests (names) and the customer completes (Engelsk ↔ Standard engelsk).
    values.layouts = { "19": "1", "20": "2" };
    values.mappings = demoMappings();
    expect((await activate(values)).ok).toBe(true);
  });

  it("an invoice that failed on an unmatched layout goes again by itself once Layouts are saved", async () => {
    const account = rackbeatAccount();
    account.layouts.push({ number: 3, name: "Faktura B", is_default: false });
    const customer = [...account.customers.values()].findLast((c) => c.vat_zone === "domestic" && !c.ean)!;
    customer.layout = { number: 3, name: "Faktura B" };
    const product = [...account.products.values()].find((p) => /^\d+$/.test(p.number))!;
    const { data } = await rackbeat.request<{ customer_invoice: { number: number } }>("/customer-invoices", {
      method: "POST",
      body: {
        customer_id: customer.number,
        lines: [{ child_id: product.number, quantity: 1, line_price: 3 }],
      },
    });
    const number = data.customer_invoice.number;
    await rackbeat.request(`/customer-invoices/${number}/book`, { method: "POST", body: {} });
    await deliver(UNCERTAIN.rackbeat.webhookEvents.customerInvoiceBooked, number);
    await runOutbox({ budgetMs: 10_000, installationId });
    expect(await transferOf(`customer_invoice:${number}`)).toMatchObject({
      status: "failed",
      errorCode: "transfer.layout_not_matched",
      errorParams: { layout: "Faktura B", setting: "layouts" },
    });

    // The customer matches the layout; nothing else: no Retry.
    const saved = await save(settings((s) => (s.layouts = { "19": "1", "20": "2", "21": "3" })));
    expect(saved).toMatchObject({ ok: true, requeued: 1 });
    expect((await transferOf(`customer_invoice:${number}`))!.status).toBe("pending");
    const [history] = await db()
      .select()
      .from(schema.auditLog)
      .where(
        and(
          eq(schema.auditLog.installationId, installationId),
          eq(schema.auditLog.action, "transfer.requeued_after_settings"),
        ),
      );
    expect(history.details).toEqual({ section: "layouts", count: 1 });
    await runOutbox({ budgetMs: 10_000, installationId });
    expect((await transferOf(`customer_invoice:${number}`))!.status).toBe("succeeded");
    customer.layout = { number: 1, name: "Standard" };
    await save(settings());
  });
});
