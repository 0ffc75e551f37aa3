/**
 * `npm run dev`: sandbox mode by default — both emulators on their own ports, embedded PGlite in .data/,
 * and `next dev` wired to them. With a real ECONOMIC_APP_SECRET_TOKEN configured it only starts Next.
 * Everything the sandbox knows (the app's database and both emulators' state) lives in .data/ and
 * survives a restart; `npm run dev -- --reset` starts over from the seeded demo companies.
 */
import { spawn } from "node:child_process";
import { startLocalCron } from "./local-cron";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SANDBOX_PORTS } from "../lib/env";
import { startEmulators, sandboxEnv } from "../tests/emulators";

for (const file of [".env.local", ".env"]) if (existsSync(file)) process.loadEnvFile(file);

const appPort = Number(process.env.PORT ?? 3000);
const appUrl = process.env.APP_URL ?? `http://localhost:${appPort}`;
const childEnv: Record<string, string | undefined> = { ...process.env, APP_URL: appUrl };

if (process.argv.includes("--reset")) {
  for (const dir of [path.join(".data", "pglite"), path.join(".data", "emulators")])
    rmSync(dir, { recursive: true, force: true });
  console.log("Sandbox reset: the app's database and both emulators start from the demo companies.");
}

// Secrets for development are generated once and kept, so sessions and encrypted tokens survive restarts.
const secretsFile = path.join(".data", "dev-secrets.json");
mkdirSync(".data", { recursive: true });
const secrets = existsSync(secretsFile)
  ? (JSON.parse(readFileSync(secretsFile, "utf8")) as Record<string, string>)
  : {
      AUTH_SECRET: randomBytes(32).toString("base64"),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      CRON_SECRET: randomBytes(24).toString("hex"),
    };
writeFileSync(secretsFile, JSON.stringify(secrets, null, 2));
for (const [k, v] of Object.entries(secrets)) childEnv[k] ??= v;

let stopEmulators: (() => Promise<void>) | undefined;
if (!process.env.ECONOMIC_APP_SECRET_TOKEN) {
  const economicPort = Number(process.env.SANDBOX_ECONOMIC_PORT ?? SANDBOX_PORTS.economic);
  const rackbeatPort = Number(process.env.SANDBOX_RACKBEAT_PORT ?? SANDBOX_PORTS.rackbeat);
  const emulators = await startEmulators({
    appUrl,
    economicPort,
    rackbeatPort,
    mailSmtpPort: Number(process.env.SANDBOX_MAIL_SMTP_PORT ?? SANDBOX_PORTS.mailSmtp),
    mailWebPort: Number(process.env.SANDBOX_MAIL_WEB_PORT ?? SANDBOX_PORTS.mailWeb),
    stateDir: path.join(".data", "emulators"),
  });
  stopEmulators = emulators.close;
  Object.assign(childEnv, sandboxEnv(emulators));
  console.log(`
  Sandbox mode — no accounts needed.
    App                 ${appUrl}
    Rackbeat (emulator) ${emulators.rackbeat.server.url}/apps   ← click Install to start
    e-conomic (emulator) ${emulators.economic.server.url}
    Mail (alerts)       ${emulators.mail.web.url}
    Database            embedded PGlite in .data/pglite (emulators' state in .data/emulators)
    Start over          npm run dev -- --reset
`);
} else {
  console.log("Real e-conomic tokens found: starting the app against the real services.");
}

const next = spawn(
  process.execPath,
  [path.join("node_modules", "next", "dist", "bin", "next"), "dev", "--port", String(appPort)],
  { env: childEnv as NodeJS.ProcessEnv, stdio: "inherit" },
);
const stopCron = startLocalCron(appUrl, String(childEnv.CRON_SECRET));
const stop = async () => {
  stopCron();
  next.kill("SIGTERM");
  await stopEmulators?.();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
next.on("exit", async (code) => {
  await stopEmulators?.();
  process.exit(code ?? 0);
});
