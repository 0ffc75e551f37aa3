import { expect, test } from "@playwright/test";
import { consent, ECONOMIC, installFresh, RACKBEAT } from "./helpers";

test("a revoked e-conomic grant shows a banner; reconnecting the same agreement resumes", async ({
  page,
}, testInfo) => {
  const { installationId, agreementNumber } = await installFresh(page, "Tilbagekaldt E2E ApS");
  await page.goto(`/installations/${installationId}`);
  await expect(page.getByText("Connected to e-conomic and Rackbeat")).toBeVisible();

  await page.request.post(`${ECONOMIC}/__control/revoke`, { data: { agreementNumber } });
  await page.reload();
  const banner = page.getByRole("alert").filter({ hasText: "e-conomic access revoked" });
  await expect(banner).toBeVisible();
  await expect(page.getByRole("region", { name: "Supplier invoices" })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("revoked.png"), fullPage: true });

  await banner.getByRole("link", { name: "Reconnect e-conomic" }).click();
  await consent(page, new RegExp(`\\(${agreementNumber}\\)`));
  await page.waitForURL(new RegExp(`/installations/${installationId}$`));
  await expect(page.getByRole("alert").filter({ hasText: "e-conomic access revoked" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Supplier invoices" })).toBeVisible();
  await expect(
    page.getByRole("list", { name: "Change history" }).getByText("e-conomic reconnected"),
  ).toBeVisible();
});

test("uninstalling in Rackbeat stops the installation and says how to come back", async ({ page }) => {
  const { installationId, accountId } = await installFresh(page, "Afinstalleret E2E ApS");
  await page.goto(`${RACKBEAT}/apps?account=${accountId}`);
  await page.getByRole("button", { name: "Afinstallér" }).click();
  // Rackbeat's plugin.uninstalled webhook arrives asynchronously.
  await expect(async () => {
    await page.goto(`/installations/${installationId}`);
    await expect(
      page.getByRole("alert").filter({ hasText: "The app was uninstalled in Rackbeat" }),
    ).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(
    page.getByRole("list", { name: "Change history" }).getByText("App uninstalled in Rackbeat"),
  ).toBeVisible();
});
