/**
 * The app as Playwright sees it: a production build (`next start`) wired to the emulators on the e2e
 * ports, with its own database — a fresh PGlite directory, or DATABASE_URL (migrated first) when set.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { E2E } from "../tests/e2e/ports";

const nextBin = path.join("node_modules", "next", "dist", "bin", "next");
const economic = `http://127.0.0.1:${E2E.economicPort}`;
const rackbeat = `http://127.0.0.1:${E2E.rackbeatPort}`;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  PORT: String(E2E.appPort),
  APP_URL: E2E.appUrl,
  AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-auth-secret-e2e-auth-secret-0123456789",
  TOKEN_ENCRYPTION_KEY: process.env.TOKEN_ENCRYPTION_KEY ?? Buffer.alloc(32, 9).toString("base64"),
  CRON_SECRET: process.env.CRON_SECRET ?? "e2e-cron-secret-0123456789",
  ECONOMIC_APP_SECRET_TOKEN: "sandbox-app-secret-token",
  ECONOMIC_APP_PUBLIC_TOKEN: "sandbox-app-public-token",
  ECONOMIC_API_URL: economic,
  ECONOMIC_OPENAPI_URL: economic,
  ECONOMIC_SECURE_URL: economic,
  RACKBEAT_API_URL: `${rackbeat}/api`,
  RACKBEAT_INTEGRATION_URL: `${rackbeat}/integration`,
  SMTP_URL: `smtp://127.0.0.1:${E2E.mailSmtpPort}`,
};
if (!env.DATABASE_URL) env.PGLITE_DIR = mkdtempSync(path.join(tmpdir(), "rbe-e2e-pglite-"));

if (!existsSync(path.join(".next", "BUILD_ID")) || process.env.E2E_REBUILD === "1") {
  execFileSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env });
}
if (env.DATABASE_URL)
  execFileSync(
    process.execPath,
    [path.join("node_modules", "tsx", "dist", "cli.mjs"), "scripts/migrate.ts"],
    { stdio: "inherit", env },
  );

const child = spawn(process.execPath, [nextBin, "start", "--port", String(E2E.appPort)], {
  stdio: "inherit",
  env,
});
const stop = () => child.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
child.on("exit", (code) => process.exit(code ?? 0));
