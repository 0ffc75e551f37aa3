import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { installFresh, RACKBEAT } from "./helpers";

/** The settings URL Rackbeat opens in its iframe: our launch URL, a bearer link to the installation. */
const launchUrlOf = async (page: Page) =>
  (await page.locator('iframe[title="App settings"]').getAttribute("src"))!;
const hasToken = (url: string) => new URL(url).searchParams.has("lt");

test("a launch link opened at top level leaves no token in the address or the history, on every page", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const { installationId } = await installFresh(page, "Adresselinje ApS");
  const launch = await launchUrlOf(page);
  await page.goto(launch);
  await page.waitForURL(new RegExp(`/installations/${installationId}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Adresselinje ApS");

  // The transfers list, and a page opened from a link that carries a token (as one copied out of Rackbeat).
  const token = new URL(
    (await page.request.get(launch, { maxRedirects: 0 })).headers()["location"]!,
  ).searchParams.get("lt")!;
  for (const path of [`/installations/${installationId}/transfers`, `/installations/${installationId}`]) {
    await page.goto(`${path}?lt=${encodeURIComponent(token)}`);
    await expect.poll(() => hasToken(page.url())).toBe(false);
  }
  await page.getByRole("link", { name: "Transfers" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Transfers");
  expect(hasToken(page.url())).toBe(false);
  // Back through the history: no entry kept the token.
  for (let i = 0; i < 3; i++) {
    await page.goBack();
    expect(hasToken(page.url())).toBe(false);
  }
});

test("a launch link never adds another company to a signed-in browser without asking", async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const mine = await installFresh(page, "Min Egen Butik ApS");
  // Someone else's installation, installed in a browser of their own.
  const theirContext = await browser.newContext();
  const theirPage = await theirContext.newPage();
  const theirs = await installFresh(theirPage, "Fremmed Firma ApS");
  const theirLaunch = await launchUrlOf(theirPage);
  await theirContext.close();

  // A link to their launch URL, opened in my browser: it shows what it opens, and asks.
  await page.goto(theirLaunch);
  await page.waitForURL(new RegExp(`/installations/${theirs.installationId}\\?lt=`));
  const notice = page.getByRole("status").filter({ hasText: "You opened Fremmed Firma ApS from a link." });
  await expect(notice).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("launch-asks.png"), fullPage: true });
  // My account still holds mine only.
  await page.goto("/installations");
  await expect(page.getByText("Min Egen Butik ApS").first()).toBeVisible();
  await expect(page.getByText("Fremmed Firma ApS")).toHaveCount(0);
  expect(mine.installationId).not.toBe(theirs.installationId);

  // Confirmed in this browser: now it is mine too, and the token leaves the address.
  await page.goto(theirLaunch);
  await page.getByRole("button", { name: "Add to my installations" }).click();
  await page.waitForURL(new RegExp(`/installations/${theirs.installationId}$`));
  await page.goto("/installations");
  await expect(page.getByText("Fremmed Firma ApS").first()).toBeVisible();
  await expect(page.getByText("Min Egen Butik ApS").first()).toBeVisible();
});

test("“Replace the link now” stops the old settings link at once; Rackbeat opens the new one", async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  const { installationId, accountId } = await installFresh(page, "Nyt Link ApS");
  const oldLaunch = await launchUrlOf(page);
  await page.goto(`/installations/${installationId}`);
  await page.getByRole("button", { name: "Replace the link now" }).click();
  await expect(
    page
      .getByRole("status")
      .filter({ hasText: "The link is replaced: the old one no longer opens these settings." }),
  ).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("link-replaced.png"), fullPage: true });
  // The old link opens nothing; Rackbeat's app page now frames the new one, which opens the settings.
  const refused = await page.request.get(oldLaunch, { maxRedirects: 0 });
  expect(refused.status()).toBe(303);
  expect(refused.headers()["location"]).toContain("/install/problem/not_found");
  await page.goto(`${RACKBEAT}/apps/economic-integration?account=${accountId}`);
  const newLaunch = await launchUrlOf(page);
  expect(newLaunch).not.toBe(oldLaunch);
  await expect(
    page.frameLocator('iframe[title="App settings"]').getByRole("heading", { level: 1 }),
  ).toContainText("Nyt Link ApS");
});
