import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { receiveRackbeatWebhook } from "@/lib/webhooks/rackbeat";
import { startEmulators, sandboxEnv, type Emulators } from "@/tests/emulators";

/**
 * The app's side for integration tests: both emulators, plus a small HTTP server standing in for the
 * app's public URL so that Rackbeat's webhook deliveries reach `receiveRackbeatWebhook` over real HTTP.
 * The environment points the app's clients at the emulators, as sandbox mode does.
 */
export function withApp(): () => { emulators: Emulators; appUrl: string } {
  let server: Server | undefined;
  let emulators: Emulators | undefined;
  let appUrl = "";
  beforeAll(async () => {
    server = createServer(async (req, res) => {
      if (req.method === "POST" && req.url === "/api/webhooks/rackbeat") {
        let body = "";
        for await (const chunk of req) body += chunk;
        const headers = new Headers(
          Object.entries(req.headers).flatMap(([k, v]) =>
            typeof v === "string" ? [[k, v] as [string, string]] : [],
          ),
        );
        const result = await receiveRackbeatWebhook(headers, body);
        res
          .writeHead(result.status, { "Content-Type": "application/json" })
          .end(JSON.stringify({ ok: result.status < 300, code: result.message.code }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    emulators = await startEmulators({ appUrl, rackbeat: { webhookRetryBaseMs: 25, webhookMaxAttempts: 3 } });
    Object.assign(process.env, sandboxEnv(emulators), {
      APP_URL: appUrl,
      ECONOMIC_APP_SECRET_TOKEN: "sandbox-app-secret-token",
      ECONOMIC_APP_PUBLIC_TOKEN: "sandbox-app-public-token",
    });
    resetEnvForTests();
  });
  afterAll(async () => {
    await emulators?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });
  return () => {
    if (!emulators) throw new Error("withApp(): not started yet");
    return { emulators, appUrl };
  };
}

/** Plays the customer on e-conomic's grant page: picks an agreement and approves (or declines). */
export async function approveGrant(
  grantPageUrl: string,
  agreementNumber: number,
  decision: "approve" | "decline" = "approve",
): Promise<URLSearchParams> {
  const url = new URL(grantPageUrl);
  const page = await fetch(url);
  if (!page.ok) throw new Error(`grant page answered ${page.status}`);
  const res = await fetch(`${url.origin}${url.pathname}`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({
      agreementNumber: String(agreementNumber),
      redirectUrl: url.searchParams.get("redirectUrl") ?? "",
      decision,
      locale: url.searchParams.get("locale") ?? "en-US",
    }),
  });
  return new URL(res.headers.get("location")!).searchParams;
}

/** A complete install from Rackbeat's Apps menu, as the integration tests' starting point. Returns the installation id. */
export async function installViaRackbeat(
  emulators: Emulators,
  accountId: number,
  agreementNumber: number,
): Promise<string> {
  const { startFromRackbeat, handleEconomicCallback } = await import("@/lib/installations/flows");
  const { token } = emulators.rackbeat.state.createRequestToken(accountId);
  const start = await startFromRackbeat({ requestToken: token, state: undefined, acceptLanguage: null });
  if (start.kind !== "redirect") throw new Error(`install did not start: ${start.kind}`);
  const done = await handleEconomicCallback({
    query: await approveGrant(start.url, agreementNumber),
    state: start.state!,
  });
  if (done.kind !== "signed-in")
    throw new Error(`install failed: ${done.kind === "problem" ? done.problem.code : done.kind}`);
  return done.installationIds[0];
}
