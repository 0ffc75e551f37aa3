import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { E2E } from "./tests/e2e/ports";

// Debian's Chromium where Playwright's own browser download is not possible; Playwright's otherwise.
const systemChromium =
  process.env.PLAYWRIGHT_CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: E2E.appUrl,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: systemChromium
      ? {
          executablePath: systemChromium,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
          ],
        }
      : {},
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: [
    {
      command: "npx tsx scripts/emulators.ts",
      url: `http://127.0.0.1:${E2E.rackbeatPort}/apps`,
      env: {
        APP_URL: E2E.appUrl,
        SANDBOX_ECONOMIC_PORT: String(E2E.economicPort),
        SANDBOX_RACKBEAT_PORT: String(E2E.rackbeatPort),
        SANDBOX_MAIL_SMTP_PORT: String(E2E.mailSmtpPort),
        SANDBOX_MAIL_WEB_PORT: String(E2E.mailWebPort),
        WEBHOOK_RETRY_BASE_MS: "200",
      },
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: "npx tsx scripts/e2e-app.ts",
      url: `${E2E.appUrl}/api/health`,
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
    },
  ],
});
