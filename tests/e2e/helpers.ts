import type { Page } from "@playwright/test";
import { E2E } from "./ports";

export const RACKBEAT = `http://127.0.0.1:${E2E.rackbeatPort}`;
export const ECONOMIC = `http://127.0.0.1:${E2E.economicPort}`;

/** Puts both emulators back to their seeded state; the app's database keeps what earlier tests did. */
export async function resetEmulators(page: Page) {
  await page.request.post(`${RACKBEAT}/__control/reset`);
  await page.request.post(`${ECONOMIC}/__control/reset`);
}

/** e-conomic's consent screen: choose the agreement, then Approve or Decline. */
export async function consent(
  page: Page,
  agreementLabel: RegExp,
  decision: "Approve" | "Decline" = "Approve",
) {
  await page.waitForURL(/requestaccess\.aspx/);
  await page.getByRole("radio", { name: agreementLabel }).check();
  // The consent screen speaks the browser's language.
  await page
    .getByRole("button", { name: decision === "Approve" ? /^(Approve|Godkend)$/ : /^(Decline|Afvis)$/ })
    .click();
}

/** Our confirmation page: both sides are named; the person connects (or cancels). */
export async function confirmConnection(page: Page, answer: "Connect" | "Cancel" = "Connect") {
  await page.waitForURL(/\/install\/confirm$/);
  await page
    .getByRole("button", { name: answer === "Connect" ? /^(Connect|Forbind)$/ : /^(Cancel|Annullér)$/ })
    .click();
}

/** A Rackbeat account and an e-conomic agreement of the test's own, installed through the real pages. */
export async function installFresh(
  page: Page,
  name: string,
  size: { products?: number; customers?: number; suppliers?: number } = {},
): Promise<{ installationId: string; accountId: number; agreementNumber: number }> {
  const account = await (
    await page.request.post(`${RACKBEAT}/__control/accounts`, { data: { name } })
  ).json();
  const agreement = await (
    await page.request.post(`${ECONOMIC}/__control/agreements`, { data: { name, ...size } })
  ).json();
  await page.goto(`${RACKBEAT}/apps?account=${account.id}`);
  await page.getByRole("button", { name: /^Install/ }).click();
  await consent(page, new RegExp(`\\(${agreement.agreementNumber}\\)`));
  await confirmConnection(page);
  await page.waitForURL(new RegExp(`/apps/economic-integration\\?account=${account.id}$`));
  const src = await page.locator('iframe[title="App settings"]').getAttribute("src");
  return {
    installationId: src!.split("/")[4],
    accountId: account.id,
    agreementNumber: agreement.agreementNumber,
  };
}
