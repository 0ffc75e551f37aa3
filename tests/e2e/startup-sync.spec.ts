import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { installFresh } from "./helpers";

const region = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

test("the start-up synchronization shows a progress bar per entity that moves, then the summary", async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const { installationId } = await installFresh(page, "Opstart E2E ApS", {
    products: 3000,
    customers: 600,
    suppliers: 60,
  });
  await page.goto(`/installations/${installationId}`);
  await expect(page.getByText("Connected to e-conomic and Rackbeat")).toBeVisible();
  await page.waitForLoadState("networkidle");

  const startup = region(page, "Start-up synchronization");
  await startup.getByLabel(/^Transfer groups, products, customers, suppliers and layouts/).check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(startup.getByText(/Start-up synchronization was chosen on/)).toBeVisible();
  await expect(startup.getByRole("checkbox")).toBeDisabled();

  // Watch the products bar while the sync runs in the background: it must pass through values between
  // nothing and everything, then reach everything.
  const products = startup.getByRole("progressbar", { name: "Products" });
  await expect(products).toBeVisible();
  const seen: number[] = [];
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const now = Number(await products.getAttribute("aria-valuenow"));
    if (seen[seen.length - 1] !== now) seen.push(now);
    if (now === 3000) break;
    if (seen.length === 3)
      await page.screenshot({ path: testInfo.outputPath("startup-sync-running.png"), fullPage: true });
    await page.waitForTimeout(150);
  }
  expect(seen.some((v) => v > 0 && v < 3000)).toBe(true);
  expect(seen.at(-1)).toBe(3000);
  expect(seen).toEqual([...seen].sort((a, b) => a - b)); // it only moves forward

  await expect(startup.getByText("The start-up synchronization is finished.")).toBeVisible({
    timeout: 30_000,
  });
  const summary = startup.getByRole("table");
  await expect(summary.getByRole("columnheader", { name: "Created in Rackbeat" })).toBeVisible();
  await expect(summary.getByRole("row", { name: /^Customers/ })).toBeVisible();
  await expect(startup.getByText("600 of 600")).toBeVisible();
  await expect(startup.getByText("3000 of 3000")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("startup-sync-summary.png"), fullPage: true });

  // The progress is the installation's own: a browser without its session gets the same 404 as for no id.
  const stranger = await page.context().browser()!.newContext();
  expect((await stranger.request.get(`/api/installations/${installationId}/startup-sync`)).status()).toBe(
    404,
  );
  await stranger.close();

  // Once only: after a reload the choice stays locked and the summary is still there.
  await page.reload();
  await expect(region(page, "Start-up synchronization").getByRole("checkbox")).toBeDisabled();
  await expect(
    region(page, "Start-up synchronization").getByText("The start-up synchronization is finished."),
  ).toBeVisible();
});
