import { expect, test } from "./fixtures";
import { E2E } from "./ports";
import { confirmConnection, consent, RACKBEAT, resetEmulators } from "./helpers";

test.describe.serial("install paths", () => {
  let rackbeatFirstId = "";
  let marketFirstId = "";

  test("from Rackbeat's Apps menu: Install → approve in e-conomic → settings inside Rackbeat", async ({
    page,
  }, testInfo) => {
    await resetEmulators(page);
    await page.goto(`${RACKBEAT}/apps?account=51001`);
    await page.screenshot({ path: testInfo.outputPath("1-rackbeat-apps.png") });
    await page.getByRole("button", { name: "Install" }).click();
    await page.waitForURL(/requestaccess\.aspx/);
    await page.screenshot({ path: testInfo.outputPath("2-economic-consent.png") });
    await consent(page, /Nordlys Engros ApS \(700001\)/);
    // Nothing is connected before the person in this browser sees both sides by name and confirms.
    await page.waitForURL(`${E2E.appUrl}/install/confirm`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Connect Rackbeat and e-conomic");
    await expect(
      page.getByText(
        "Connect Rackbeat account Nordlys Engros ApS (51001) to e-conomic agreement Nordlys Engros ApS (700001)?",
      ),
    ).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("3-confirm.png"), fullPage: true });
    await confirmConnection(page);
    // Rackbeat's redirect_to: its app page, with our settings in an iframe.
    await page.waitForURL(`${RACKBEAT}/apps/economic-integration?account=51001`);
    const frame = page.frameLocator('iframe[title="App settings"]');
    await expect(frame.getByRole("heading", { level: 1 })).toHaveText(
      "Nordlys Engros ApS → Nordlys Engros ApS",
    );
    await expect(frame.getByText("e-conomic agreement 700001")).toBeVisible();
    await expect(frame.getByText("App installed", { exact: true })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("4-settings-in-rackbeat.png"), fullPage: true });
    const src = await page.locator('iframe[title="App settings"]').getAttribute("src");
    expect(src).toMatch(new RegExp(`^${E2E.appUrl}/launch/`));
    rackbeatFirstId = src!.split("/")[4];
  });

  test("from e-conomic Market: approve → Connect Rackbeat → Install → settings, with no second consent", async ({
    page,
  }, testInfo) => {
    await page.goto("/");
    await page.getByRole("link", { name: "Install from e-conomic" }).click();
    await consent(page, /Vestjysk Værktøj A\/S \(700002\)/);
    await page.waitForURL(`${E2E.appUrl}/install/connect`);
    await expect(page.getByRole("heading", { name: "One click left: connect Rackbeat" })).toBeVisible();
    await expect(
      page.getByText("e-conomic agreement 700002 (Vestjysk Værktøj A/S) is approved."),
    ).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("1-connect-rackbeat.png"), fullPage: true });
    const grantsBefore = (
      await (await page.request.get(`http://127.0.0.1:${E2E.economicPort}/__control/counters`)).json()
    ).grants;
    await page.goto(`${RACKBEAT}/apps?account=51002`);
    await page.getByRole("button", { name: "Install" }).click();
    await page.waitForURL(`${E2E.appUrl}/install/confirm`);
    await expect(
      page.getByText(
        "Connect Rackbeat account Vestjysk Værktøj A/S (51002) to e-conomic agreement Vestjysk Værktøj A/S (700002)?",
      ),
    ).toBeVisible();
    await confirmConnection(page);
    await page.waitForURL(`${RACKBEAT}/apps/economic-integration?account=51002`);
    const frame = page.frameLocator('iframe[title="App settings"]');
    await expect(frame.getByRole("heading", { level: 1 })).toHaveText(
      "Vestjysk Værktøj A/S → Vestjysk Værktøj A/S",
    );
    const grantsAfter = (
      await (await page.request.get(`http://127.0.0.1:${E2E.economicPort}/__control/counters`)).json()
    ).grants;
    expect(grantsAfter).toBe(grantsBefore);
    await page.screenshot({ path: testInfo.outputPath("2-settings-in-rackbeat.png"), fullPage: true });
    marketFirstId = (await page.locator('iframe[title="App settings"]').getAttribute("src"))!.split("/")[4];

    // The same browser is signed in at top level too.
    await page.goto(`/installations/${marketFirstId}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      "Vestjysk Værktøj A/S → Vestjysk Værktøj A/S",
    );
  });

  test("another tenant's installation answers 404, signed in or not", async ({ page, browser }) => {
    expect(rackbeatFirstId).not.toBe("");
    // This browser proved access to nothing.
    const res = await page.request.get(`/installations/${rackbeatFirstId}`);
    expect(res.status()).toBe(404);
    // A browser signed in to the Market installation only.
    const context = await browser.newContext();
    const signedIn = await context.newPage();
    await signedIn.goto("/signin");
    await signedIn.getByRole("link", { name: "Sign in with e-conomic" }).click();
    await consent(signedIn, /Vestjysk Værktøj A\/S \(700002\)/);
    // This browser started the sign-in, so e-conomic's approval signs it in without another question.
    await signedIn.waitForURL(`${E2E.appUrl}/installations/${marketFirstId}`);
    expect((await signedIn.request.get(`/installations/${rackbeatFirstId}`)).status()).toBe(404);
    expect((await signedIn.request.get(`/installations/${marketFirstId}`)).status()).toBe(200);
    // An expired or forged launch token opens nothing, and says how to get back in.
    await signedIn.goto(`/installations/${rackbeatFirstId}?lt=expired.token`);
    await expect(signedIn.getByText("Open the app again from Rackbeat")).toBeVisible();
    await expect(signedIn.getByRole("region", { name: "Supplier invoices" })).toHaveCount(0);
    // A launch URL with a wrong secret does not open anything.
    const forged = await signedIn.request.get(`/launch/${rackbeatFirstId}/not-the-secret`, {
      maxRedirects: 0,
    });
    expect(forged.headers()["location"]).toContain("/install/problem/not_found");
    // Sign out: the installation is closed again.
    await signedIn.goto(`/installations/${marketFirstId}`);
    await signedIn.getByRole("button", { name: "Sign out" }).click();
    await signedIn.waitForURL(/\/signin/);
    expect((await signedIn.request.get(`/installations/${marketFirstId}`)).status()).toBe(404);
    await context.close();
  });

  test("declining in e-conomic explains what happened and how to try again", async ({ page }, testInfo) => {
    await page.goto(`${RACKBEAT}/apps?account=51001`);
    await page.getByRole("button", { name: /Install/ }).click();
    await consent(page, /Nordlys Engros ApS \(700001\)/, "Decline");
    await page.waitForURL(/\/install\/problem\/declined/);
    await expect(page.getByRole("heading", { name: "You declined access in e-conomic" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Start again from Rackbeat" })).toHaveAttribute(
      "href",
      `${RACKBEAT}/apps`,
    );
    await page.screenshot({ path: testInfo.outputPath("declined.png"), fullPage: true });
  });
});
