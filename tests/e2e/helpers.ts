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
export async function consent(page: Page, agreementLabel: RegExp, decision: "Approve" | "Decline" = "Approve") {
  await page.waitForURL(/requestaccess\.aspx/);
  await page.getByRole("radio", { name: agreementLabel }).check();
  await page.getByRole("button", { name: decision }).click();
}
