import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { installFresh, RACKBEAT } from "./helpers";

const region = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

/** Reloads the transfers page until `text` shows in the row of `what` (transfers run after the webhook's answer). */
async function rowShows(page: Page, what: string, text: string | RegExp) {
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("row").filter({ hasText: what })).toContainText(text, { timeout: 500 });
  }).toPass({ timeout: 20_000 });
}

/** The settings form is interactive once the live lists streamed in and the page hydrated. */
async function openSettings(page: Page, installationId: string) {
  await page.goto(`/installations/${installationId}`);
  await expect(page.getByText("Connected to e-conomic and Rackbeat")).toBeVisible();
  await page.waitForLoadState("networkidle");
}

test("a booked invoice shows as transferred with its e-conomic number; a refusal shows e-conomic's words; Retry after the fix", async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const { installationId, accountId } = await installFresh(page, "Overførsel E2E ApS");
  await openSettings(page, installationId);
  const customers = region(page, "Customer invoices");
  await customers.getByLabel("Activate debtor integration").check();
  const postInvoices = customers.getByLabel("Post invoices in e-conomic when posted in Rackbeat");
  await postInvoices.check();
  // "Standard" is matched by name; Rackbeat's "Engelsk" has no e-conomic layout of its name. Activating
  // now would fail every invoice with it, so the page says which layout needs a match first.
  const layouts = region(page, "Layouts");
  await expect(layouts.getByLabel("e-conomic layout: Standard", { exact: true })).toHaveValue("1");
  await page.getByRole("button", { name: "Activate integration" }).click();
  await expect(layouts.getByRole("alert")).toHaveText(
    /Rackbeat layout “Engelsk” has no e-conomic layout yet/,
  );
  await page.screenshot({ path: testInfo.outputPath("activation-refused.png"), fullPage: true });
  await layouts
    .getByLabel("e-conomic layout: Standard engelsk", { exact: true })
    .selectOption({ label: "Engelsk" });
  await page.getByRole("button", { name: "Activate integration" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The integration is active." })).toBeVisible();

  // Book an invoice in Rackbeat (its sandbox page): the webhook brings it over within seconds.
  await page.goto(`${RACKBEAT}/sandbox/invoices?account=${accountId}`);
  await page.getByLabel("Pris").fill("250.00");
  await page.getByRole("button", { name: "Opret" }).click();
  const created = (await page.getByText(/Faktura \d+ oprettet og bogført/).textContent())!;
  const number = created.match(/Faktura (\d+)/)![1];

  await page.goto(`/installations/${installationId}`);
  await page.getByRole("link", { name: "Transfers" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Transfers");
  await rowShows(page, `Customer invoice ${number}`, /Transferred.*Booked invoice \d+/);
  await page.screenshot({ path: testInfo.outputPath("transfers.png"), fullPage: true });

  // An invoice dated in a closed accounting year: e-conomic refuses to book it, in its own words.
  const auth = { Authorization: `Bearer rb-personal-key-${accountId}` };
  const first = async (path: string, key: string) =>
    (await (await page.request.get(`${RACKBEAT}/api${path}?limit=1`, { headers: auth })).json())[key][0];
  const customer = await first("/customers", "customers");
  const product = await first("/products", "products");
  const old = (
    await (
      await page.request.post(`${RACKBEAT}/api/customer-invoices`, {
        headers: auth,
        data: {
          customer_id: customer.number,
          invoice_date: "2025-03-01",
          lines: [{ child_id: product.number, quantity: 1, line_price: 80 }],
        },
      })
    ).json()
  ).customer_invoice;
  await page.request.post(`${RACKBEAT}/api/customer-invoices/${old.number}/book`, {
    headers: auth,
    data: {},
  });
  await rowShows(page, `Customer invoice ${old.number}`, "Failed");
  await page
    .getByRole("row")
    .filter({ hasText: `Customer invoice ${old.number}` })
    .getByRole("link", { name: "Details" })
    .click();
  await expect(
    page.getByRole("paragraph").filter({ hasText: "e-conomic refused the transfer." }),
  ).toBeVisible();
  await expect(page.getByText(/not in an open accounting year/).first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("transfer-failed.png"), fullPage: true });
  const detail = page.url();

  // The fix: keep such invoices as drafts (untick "Post invoices"), then Retry. The draft e-conomic
  // already holds is found by our reference: nothing is created twice.
  await openSettings(page, installationId);
  await postInvoices.uncheck();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Saved/ })).toBeVisible();
  await page.reload();
  await expect(postInvoices).not.toBeChecked();
  await page.goto(detail);
  await page.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByText("One transfer is queued again.")).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByText(/Draft invoice \d+/)).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByText("Found in e-conomic by our reference")).toBeVisible();
});
