import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
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

test("the app's icon and favicon are served", async ({ request }) => {
  const icon = await request.get("/icon.svg");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  expect((await request.get("/favicon.ico")).status()).toBe(200);
});

test("an install that stops answers with a 4xx status and says what to do", async ({ page }) => {
  const response = await page.goto("/install/rackbeat");
  expect(response!.url()).toContain("/install/problem/missing_rackbeat_token");
  expect(response!.status()).toBe(400);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Start the install from Rackbeat");
  expect((await page.goto("/install/problem/declined"))!.status()).toBe(403);
  expect((await page.goto("/install/problem/no_such_problem"))!.status()).toBe(404);
});

test.describe("in Danish", () => {
  test.use({ locale: "da-DK", extraHTTPHeaders: { "Accept-Language": "da-DK,da;q=0.9" } });
  test("the landing, sign-in, not-found and problem pages speak Danish", async ({ page }) => {
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "da");
    await expect(page.getByText("kun én vej")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Salgsfakturaer", exact: true })).toBeVisible();
    await page.goto("/signin");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Log ind");
    await page.goto("/installations/00000000-0000-4000-8000-000000000000");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Siden findes ikke");
    await page.goto("/install/problem/agreement_taken");
    await expect(page.getByText("Installationen stoppede")).toBeVisible();
    await expect(page.getByText(/Rackbeat viser måske nu appen som installeret/)).toBeVisible();
  });
});

test("a truncated or damaged server-action body is a 400 with a message, not Next's 500", async ({
  request,
}) => {
  const manifest = JSON.parse(
    readFileSync(path.join(".next", "server", "server-reference-manifest.json"), "utf8"),
  ) as { node: Record<string, { exportedName: string }> };
  const [actionId] = Object.entries(manifest.node).find(([, a]) => a.exportedName === "answerConsentAction")!;
  const truncated = `--XB\r\nContent-Disposition: form-data; name="1_$ACTION_ID_${actionId}"\r\n\r\n\r\n--XB\r\nContent-Disposition: form-data; name="deci`;
  for (const [contentType, data] of [
    ["multipart/form-data; boundary=XB", truncated],
    ["text/plain;charset=UTF-8", '["$K1",{"a":'],
  ]) {
    const res = await request.post("/install/confirm", {
      headers: { "Next-Action": actionId, "Content-Type": contentType },
      data,
    });
    expect(res.status()).toBe(400);
    expect(await res.json()).toMatchObject({ code: "request.malformed", message: /Reload the page/ });
  }
});
