import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ECONOMIC, installFresh, RACKBEAT } from "./helpers";
import { E2E } from "./ports";

const MAIL = `http://127.0.0.1:${E2E.mailWebPort}`;
const CRON = { Authorization: `Bearer ${process.env.CRON_SECRET ?? "e2e-cron-secret-0123456789"}` };
const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Copenhagen" }).format(new Date());
const region = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

/** Activates customer invoices (posted) with both layouts matched, as a new customer would. */
async function activate(page: Page, installationId: string) {
  await page.goto(`/installations/${installationId}`);
  await expect(page.getByText("Connected to e-conomic and Rackbeat")).toBeVisible();
  await page.waitForLoadState("networkidle");
  const customers = region(page, "Customer invoices");
  await customers.getByLabel("Activate debtor integration").check();
  await customers.getByLabel("Post invoices in e-conomic when posted in Rackbeat").check();
  await region(page, "Layouts")
    .getByLabel("e-conomic layout: Standard engelsk", { exact: true })
    .selectOption({ label: "Engelsk" });
  // Alerts go to the e-conomic user who installed, filled in for them.
  await expect(region(page, "Alerts").getByLabel("Send alerts to")).toHaveValue(/@/);
  await page.getByRole("button", { name: "Activate integration" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The integration is active." })).toBeVisible();
}

test("books match: a month side by side with its verdict, each difference explained, as CSV, in English and Danish", async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(150_000);
  const { installationId, accountId, agreementNumber } = await installFresh(page, "Afstemning E2E ApS");
  // Inside Rackbeat's iframe (the launch token, no cookie needed): the report opens from the settings page.
  const frame = page.frameLocator('iframe[title="App settings"]');
  await frame.getByRole("link", { name: "Books match" }).click();
  await expect(frame.getByRole("heading", { level: 1 })).toHaveText("Books match");
  await expect(frame.getByText("Nothing booked in this period on either side.")).toBeVisible({
    timeout: 20_000,
  });
  await activate(page, installationId);

  // Two invoices booked in Rackbeat today; the webhook brings them over.
  const auth = { Authorization: `Bearer rb-personal-key-${accountId}` };
  const first = async (path: string, key: string) =>
    (await (await page.request.get(`${RACKBEAT}/api${path}?limit=1`, { headers: auth })).json())[key][0];
  const customer = await first("/customers", "customers");
  const product = await first("/products", "products");
  for (const price of [120, 87.5]) {
    const created = (
      await (
        await page.request.post(`${RACKBEAT}/api/customer-invoices`, {
          headers: auth,
          data: {
            customer_id: customer.number,
            invoice_date: today,
            lines: [{ child_id: product.number, quantity: 2, line_price: price }],
          },
        })
      ).json()
    ).customer_invoice;
    await page.request.post(`${RACKBEAT}/api/customer-invoices/${created.number}/book`, {
      headers: auth,
      data: {},
    });
  }
  await expect(async () => {
    await page.request.get("/api/cron/outbox", { headers: CRON });
    await page.goto(`/installations/${installationId}/transfers?status=succeeded`);
    await expect(page.getByRole("row").filter({ hasText: "Customer invoice" })).toHaveCount(2, {
      timeout: 500,
    });
  }).toPass({ timeout: 30_000 });

  // The bookkeeper books an invoice of her own in e-conomic: it has no Rackbeat source.
  const grant = await (
    await page.request.post(`${ECONOMIC}/__control/grants`, { data: { agreementNumber } })
  ).json();
  const headers = { "X-AppSecretToken": "sandbox-app-secret-token", "X-AgreementGrantToken": grant.token };
  const template = (
    await (await page.request.get(`${ECONOMIC}/invoices/booked?pagesize=1`, { headers })).json()
  ).collection[0];
  const draft = await (
    await page.request.post(`${ECONOMIC}/invoices/drafts`, {
      headers,
      data: {
        date: today,
        currency: "DKK",
        customer: template.customer,
        layout: template.layout,
        paymentTerms: template.paymentTerms,
        recipient: { name: "Kontantkunde", vatZone: { vatZoneNumber: 1 } },
        lines: [
          {
            product: { productNumber: String(product.number) },
            description: "Montage",
            quantity: 1,
            unitNetPrice: 400,
          },
        ],
      },
    })
  ).json();
  expect(draft.draftInvoiceNumber).toBeGreaterThan(0);
  await page.request.post(`${ECONOMIC}/invoices/booked`, {
    headers,
    data: { draftInvoice: { draftInvoiceNumber: draft.draftInvoiceNumber } },
  });

  // From the transfers page to the report: this month by default.
  await page.getByRole("link", { name: "Books match" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Books match");
  await expect(
    page.getByRole("alert").filter({ hasText: "One difference, each with its cause" }),
  ).toBeVisible({
    timeout: 20_000,
  });
  await expect(
    page.getByRole("cell", { name: /Made in e-conomic: there is no Rackbeat document behind it/ }),
  ).toBeVisible();
  await expect(page.getByRole("table", { name: "Totals per kind and currency, both sides" })).toContainText(
    "Customer invoices (DKK)",
  );
  await page.getByRole("link", { name: /^All documents \(3\)$/ }).click();
  await expect(page.getByText("Matches")).toHaveCount(2);
  await page.screenshot({ path: testInfo.outputPath("books-match-en.png"), fullPage: true });

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download as CSV" }).click();
  const csv = await (await download).createReadStream().then(async (stream) => {
    let text = "";
    for await (const chunk of stream) text += chunk;
    return text;
  });
  expect(csv.split("\r\n")[0]).toContain("Kind,Rackbeat document,Rackbeat date,e-conomic document");
  expect(csv).toContain("Made in e-conomic");
  expect(csv).toContain(",400.00,100.00,500.00,");

  // A wrong date is named next to its field.
  await page.goto(`/installations/${installationId}/books-match?from=2026-13-01&to=${today}`);
  await expect(page.getByText("Enter a date, for example 2026-11-30.").first()).toBeVisible();

  // In Danish, for a Danish browser.
  const danish = await browser.newContext({
    locale: "da-DK",
    storageState: await page.context().storageState(),
  });
  const dk = await danish.newPage();
  await dk.goto(`${E2E.appUrl}/installations/${installationId}/books-match`);
  await expect(dk.getByRole("heading", { level: 1 })).toHaveText("Afstemning");
  await expect(dk.getByRole("alert").filter({ hasText: "Én forskel" })).toBeVisible({ timeout: 20_000 });
  await expect(dk.getByText("Lavet i e-conomic: der er intet Rackbeat-dokument bag.")).toBeVisible();
  await dk.screenshot({ path: testInfo.outputPath("books-match-da.png"), fullPage: true });
  await danish.close();
});

test("a paused installation e-mails its contact at once; the mail catcher shows it", async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const { installationId, agreementNumber } = await installFresh(page, "Advarsel E2E ApS");
  await page.request.delete(`${MAIL}/mails`);
  await page.request.post(`${ECONOMIC}/__control/revoke`, { data: { agreementNumber } });
  // The settings page finds the grant gone (e-conomic answers 401): the installation is paused.
  await page.goto(`/installations/${installationId}`);
  await expect(page.getByRole("alert").filter({ hasText: "e-conomic access revoked" })).toBeVisible();
  await page.request.get("/api/cron/outbox", { headers: CRON });
  await page.goto(MAIL);
  await expect(
    page.getByRole("link", { name: /Overførsler til e-conomic er sat på pause — Advarsel E2E ApS/ }),
  ).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("mail-catcher.png"), fullPage: true });
  await page.getByRole("link", { name: /sat på pause/ }).click();
  await expect(
    page.frameLocator('iframe[title="Message"]').getByText("Genforbind e-conomic", { exact: false }),
  ).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("alert-mail.png"), fullPage: true });
});
