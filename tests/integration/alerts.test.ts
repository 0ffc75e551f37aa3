import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as alertsCron } from "@/app/api/cron/alerts/route";
import { schema } from "@/db/client";
import { queueDigests } from "@/lib/alerts/digest";
import { findInstallation, rackbeatTokenOf } from "@/lib/installations/repository";
import { markEconomicRevoked, markUninstalled } from "@/lib/installations/lifecycle";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { type SettingsValues } from "@/lib/settings/schema";
import { runOutbox } from "@/lib/transfers/worker";
import { installViaRackbeat, withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";
import { activeSettings, saveSettingsFor } from "@/tests/helpers/settings";
import { transferByKey } from "@/tests/helpers/transfers";

/**
 * Alert e-mails over real SMTP into the mail catcher: a digest at most once a day and only with news, a
 * pause at once, never twice (a redelivered cron, a retry after an unrecorded send).
 */
const db = withTestDb();
const app = withApp();
let installationId: string;
let accountId: number;
let agreementNumber: number;
let rackbeat: RackbeatClient;

const mails = () => app().emulators.mail.mails;
/** 08:00 in Copenhagen on a December day (UTC+1). */
const morning = (day: string, hour = 8) => new Date(`${day}T${String(hour - 1).padStart(2, "0")}:00:00Z`);
const sendAlerts = () => runOutbox({ budgetMs: 10_000, installationId, kinds: ["alert_email"] });
const alertRows = () =>
  db()
    .select()
    .from(schema.transfers)
    .where(
      and(eq(schema.transfers.installationId, installationId), eq(schema.transfers.kind, "alert_email")),
    );

const configure = (patch: (s: SettingsValues) => void = () => {}) =>
  saveSettingsFor(installationId, activeSettings(patch));

/** A booked invoice that e-conomic refuses: its transfer fails. */
async function failingInvoice() {
  const account = app().emulators.rackbeat.state.account(accountId);
  const customer = [...account.customers.values()].find((c) => c.vat_zone === "domestic")!;
  const product = [...account.products.values()].find((p) => /^\d+$/.test(p.number))!;
  const { data } = await rackbeat.request<{ customer_invoice: { number: number } }>("/customer-invoices", {
    method: "POST",
    body: {
      customer_id: customer.number,
      invoice_date: "2026-12-01",
      lines: [{ child_id: product.number, quantity: 1, line_price: 10 }],
    },
  });
  await rackbeat.request(`/customer-invoices/${data.customer_invoice.number}/book`, {
    method: "POST",
    body: {},
  });
  // The booked webhook arrives a moment after the booking: its transfer is queued then.
  const key = `customer_invoice:${data.customer_invoice.number}`;
  await expect
    .poll(() => transferByKey(db(), installationId, key).then(Boolean), { timeout: 5000 })
    .toBe(true);
  const faults = `${app().emulators.economic.server.url}/__control/faults`;
  await fetch(faults, {
    method: "PUT",
    body: JSON.stringify({
      failures: [
        { path: "/invoices/drafts", method: "POST", status: 400, rate: 1, body: { message: "Lukket år" } },
      ],
    }),
  });
  await runOutbox({ budgetMs: 10_000, installationId, kinds: ["customer_invoice"] });
  await fetch(faults, { method: "DELETE" });
}

beforeAll(async () => {
  const rb = app().emulators.rackbeat.state.addAccount("Advarsel ApS");
  const ec = app().emulators.economic.state.addAgreement("Advarsel ApS");
  accountId = rb.id;
  agreementNumber = ec.agreementNumber;
  installationId = await installViaRackbeat(app().emulators, accountId, agreementNumber);
  rackbeat = new RackbeatClient(rackbeatTokenOf((await findInstallation(installationId))!)!);
  await configure();
});
beforeEach(async () => {
  mails().length = 0;
  await db().delete(schema.transfers).where(eq(schema.transfers.installationId, installationId));
});
afterEach(() => {
  vi.useRealTimers();
});

describe("alerts", () => {
  it("the installer is the contact: their e-conomic e-mail and language", async () => {
    const installation = (await findInstallation(installationId))!;
    expect(installation.contactEmail).toBe("bente@example.dk");
    expect(installation.contactLocale).toBe("da");
  });

  it("three failures in a day → one digest, in Danish, listing them; nothing new → nothing sent", async () => {
    for (let i = 0; i < 3; i++) await failingInvoice();
    expect(await queueDigests(morning("2026-12-07", 6))).toEqual({ queued: 0 }); // before 07:00
    expect(await queueDigests(morning("2026-12-07"))).toEqual({ queued: 1 });
    expect(await queueDigests(morning("2026-12-07", 9))).toEqual({ queued: 0 });
    await sendAlerts();
    await sendAlerts();
    expect(mails()).toHaveLength(1);
    const [mail] = mails();
    expect(mail.to).toEqual(["bente@example.dk"]);
    expect(mail.language).toBe("da");
    expect(mail.subject).toBe("3 overførsler kræver dig — Advarsel ApS → e-conomic");
    expect(mail.text).toContain("3 overførsler er fejlet");
    expect(mail.text.match(/^- Kundefaktura \d+: /gm)).toHaveLength(3);
    expect(mail.text).toContain(`/installations/${installationId}/transfers?status=failed`);
    expect(mail.text).toContain(`/installations/${installationId}/books-match`);
    expect(mail.html).toContain("<ul>");

    // A fourth failure the same day waits for tomorrow's digest; the day after with nothing new, none.
    await failingInvoice();
    expect(await queueDigests(morning("2026-12-07", 15))).toEqual({ queued: 0 });
    expect(await queueDigests(morning("2026-12-08"))).toEqual({ queued: 1 });
    await sendAlerts();
    expect(mails()).toHaveLength(2);
    expect(mails()[1].text).toContain("Én er ny siden sidste e-mail");
    expect(await queueDigests(morning("2026-12-09"))).toEqual({ queued: 0 });
  });

  it("a redelivered cron sends no second mail", async () => {
    await failingInvoice();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(morning("2026-12-10"));
    const call = () =>
      alertsCron(
        new Request("http://app.test/api/cron/alerts", {
          headers: { Authorization: `Bearer ${process.env.CRON_SECRET}` },
        }),
      );
    const first = await (await call()).json();
    const again = await (await call()).json();
    expect(first).toMatchObject({ queued: 1, succeeded: 1 });
    expect(again).toMatchObject({ queued: 0, claimed: 0 });
    expect(mails()).toHaveLength(1);
  });

  it("a pause sends one mail at once, whatever the hour, and says what to do", async () => {
    await markEconomicRevoked(installationId, { reason: "test" });
    await markEconomicRevoked(installationId, { reason: "a second 401" });
    await sendAlerts();
    await sendAlerts();
    expect(mails()).toHaveLength(1);
    expect(mails()[0].subject).toBe("Overførsler til e-conomic er sat på pause — Advarsel ApS");
    expect(mails()[0].text).toContain("Genforbind e-conomic");
    // Back in business (reconnected), then uninstalled: one more mail.
    await db()
      .update(schema.installations)
      .set({ status: "active" })
      .where(eq(schema.installations.id, installationId));
    await markUninstalled(installationId, "rackbeat");
    await markUninstalled(installationId, "rackbeat");
    await sendAlerts();
    expect(mails()).toHaveLength(2);
    expect(mails()[1].text).toContain("afinstalleret");
    await reinstall();
  });

  it("a mail server that refuses is tried again; a send whose end was never recorded is not repeated", async () => {
    app().emulators.mail.refuseNext(1);
    await markEconomicRevoked(installationId, {});
    await sendAlerts();
    const [refused] = await alertRows();
    expect(refused).toMatchObject({ status: "pending", errorCode: "alert.mail_not_sent" });
    expect(mails()).toHaveLength(0);
    await db()
      .update(schema.transfers)
      .set({ runAfter: new Date() })
      .where(eq(schema.transfers.id, refused.id));
    await sendAlerts();
    expect(mails()).toHaveLength(1);
    expect((await alertRows())[0].status).toBe("succeeded");

    // A worker that died after handing over the message: its lease runs out, the next attempt does not resend.
    await db()
      .update(schema.installations)
      .set({ status: "active" })
      .where(eq(schema.installations.id, installationId));
    await markEconomicRevoked(installationId, {});
    const crashed = (await alertRows()).find((r) => r.status === "pending")!;
    await db()
      .update(schema.transfers)
      .set({ status: "running", attempts: 1, attemptsTotal: 1, leaseUntil: new Date(Date.now() - 1000) })
      .where(eq(schema.transfers.id, crashed.id));
    await sendAlerts();
    expect(mails()).toHaveLength(1);
    const after = (await alertRows()).find((r) => r.id === crashed.id)!;
    expect(after.status).toBe("succeeded");
    expect(after.payload).toMatchObject({ uncertain: true });
    await db()
      .update(schema.installations)
      .set({ status: "active" })
      .where(eq(schema.installations.id, installationId));
  });

  it("an installation made before the contact was kept reads it once, from e-conomic or else Rackbeat", async () => {
    const i = schema.installations;
    await db().update(i).set({ contactEmail: null, contactLocale: null }).where(eq(i.id, installationId));
    // e-conomic's access is gone (that is the pause), so Rackbeat's account e-mail is the one known.
    await fetch(`${app().emulators.economic.server.url}/__control/revoke`, {
      method: "POST",
      body: JSON.stringify({ agreementNumber }),
    });
    await markEconomicRevoked(installationId, {});
    await sendAlerts();
    const rackbeatEmail = app().emulators.rackbeat.state.account(accountId).user.email;
    expect(mails().map((m) => m.to)).toEqual([[rackbeatEmail]]);
    expect((await findInstallation(installationId))!.contactEmail).toBe(rackbeatEmail);
    await reinstall();
  });

  it("the settings choose the address, and can turn alerts off", async () => {
    await configure((s) => (s.alerts = { enabled: true, email: "bogholder@advarsel.dk" }));
    await failingInvoice();
    await queueDigests(morning("2026-12-11"));
    await sendAlerts();
    expect(mails().map((m) => m.to)).toEqual([["bogholder@advarsel.dk"]]);
    await configure((s) => (s.alerts = { enabled: false, email: "" }));
    await failingInvoice();
    expect(await queueDigests(morning("2026-12-12"))).toEqual({ queued: 0 });
    await markEconomicRevoked(installationId, {});
    await sendAlerts();
    expect(mails()).toHaveLength(1);
    expect((await alertRows()).find((r) => r.sourceId.startsWith("paused-"))).toMatchObject({
      status: "cancelled",
      errorCode: "alert.off",
    });
    await db()
      .update(schema.installations)
      .set({ status: "active" })
      .where(eq(schema.installations.id, installationId));
    await configure();
  });
});

/** After the uninstall above: the same accounts installed again, as a customer would. */
async function reinstall() {
  installationId = await installViaRackbeat(app().emulators, accountId, agreementNumber);
  rackbeat = new RackbeatClient(rackbeatTokenOf((await findInstallation(installationId))!)!);
  await configure();
}
