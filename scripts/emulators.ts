// `npm run emulators`: only the emulators (and the mail catcher), on the sandbox ports (for Playwright and manual poking).
import { SANDBOX_PORTS } from "../lib/env";
import { startEmulators } from "../tests/emulators";

const emulators = await startEmulators({
  appUrl: process.env.APP_URL ?? "http://localhost:3000",
  economicPort: Number(process.env.SANDBOX_ECONOMIC_PORT ?? SANDBOX_PORTS.economic),
  rackbeatPort: Number(process.env.SANDBOX_RACKBEAT_PORT ?? SANDBOX_PORTS.rackbeat),
  mailSmtpPort: Number(process.env.SANDBOX_MAIL_SMTP_PORT ?? SANDBOX_PORTS.mailSmtp),
  mailWebPort: Number(process.env.SANDBOX_MAIL_WEB_PORT ?? SANDBOX_PORTS.mailWeb),
  rackbeat: { webhookRetryBaseMs: Number(process.env.WEBHOOK_RETRY_BASE_MS ?? 2000) },
});
console.log(
  `e-conomic emulator ${emulators.economic.server.url}\nRackbeat emulator  ${emulators.rackbeat.server.url}\nMail catcher       ${emulators.mail.web.url} (SMTP ${emulators.mail.smtpUrl})`,
);
const stop = async () => {
  await emulators.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
