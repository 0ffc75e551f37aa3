import { expect, test } from "@playwright/test";
import { E2E } from "./ports";

test("the landing page says what the app does and offers both ways to install", async ({
  page,
}, testInfo) => {
  const response = await page.goto("/");
  // Only Rackbeat (and we) may frame our pages.
  expect(response!.headers()["content-security-policy"]).toBe(
    `frame-ancestors 'self' http://127.0.0.1:${E2E.rackbeatPort}`,
  );
  expect(response!.headers()["referrer-policy"]).toBe("same-origin");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("one way only")).toBeVisible();
  for (const item of [
    "Sales invoices",
    "Supplier invoices",
    "Products",
    "Customers",
    "Suppliers",
    "Inventory value",
  ]) {
    await expect(page.getByRole("heading", { name: item, exact: true })).toBeVisible();
  }
  await expect(page.getByRole("link", { name: "Open Rackbeat Apps" })).toHaveAttribute(
    "href",
    `http://127.0.0.1:${E2E.rackbeatPort}/apps`,
  );
  await expect(page.getByRole("link", { name: "Install from e-conomic" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("landing.png"), fullPage: true });
});

test("the health route reports the database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect((await res.json()).database.ok).toBe(true);
});

test("Rackbeat's Install button reaches our install route, which sends the browser on to e-conomic", async ({
  page,
}) => {
  await page.goto(`http://127.0.0.1:${E2E.rackbeatPort}/apps?account=51001`);
  await page.getByRole("button", { name: /^Install/ }).click();
  await page.waitForURL(/requestaccess\.aspx/);
  const url = new URL(page.url());
  expect(url.searchParams.get("redirectUrl")).toBe(`${E2E.appUrl}/install/economic/callback`);
  expect(url.searchParams.get("appPublicToken")).toBe("sandbox-app-public-token");
});
