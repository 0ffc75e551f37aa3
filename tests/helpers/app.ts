import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { randomUUID } from "node:crypto";
import type { InstallStep } from "@/lib/installations/flows";
import { clientKeyOf } from "@/lib/limits";
import { MAX_WEBHOOK_BODY_BYTES, receiveRackbeatWebhook } from "@/lib/webhooks/rackbeat";
import { startEmulators, sandboxEnv, type Emulators } from "@/tests/emulators";

/**
 * The app's side for integration tests: both emulators, plus a small HTTP server standing in for the
 * app's public URL so that Rackbeat's webhook deliveries reach `receiveRackbeatWebhook` over real HTTP.
 * The environment points the app's clients at the emulators, as sandbox mode does.
 */
export function withApp(
  options: { stateDir?: string } = {},
): () => { emulators: Emulators; appUrl: string; restartEmulators: () => Promise<Emulators> } {
  let server: Server | undefined;
  let emulators: Emulators | undefined;
  let appUrl = "";
  const start = async () => {
    emulators = await startEmulators({
      appUrl,
      rackbeat: { webhookRetryBaseMs: 25, webhookMaxAttempts: 3 },
      stateDir: options.stateDir,
    });
    Object.assign(process.env, sandboxEnv(emulators), {
      APP_URL: appUrl,
      ECONOMIC_APP_SECRET_TOKEN: "sandbox-app-secret-token",
      ECONOMIC_APP_PUBLIC_TOKEN: "sandbox-app-public-token",
    });
    resetEnvForTests();
    return emulators;
  };
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
        const result = await receiveRackbeatWebhook(headers, async () =>
          Buffer.byteLength(body) > MAX_WEBHOOK_BODY_BYTES ? undefined : body,
        );
        res
          .writeHead(result.status, { "Content-Type": "application/json" })
          .end(JSON.stringify({ ok: result.status < 300, code: result.message.code }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await start();
  });
  afterAll(async () => {
    await emulators?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });
  return () => {
    if (!emulators) throw new Error("withApp(): not started yet");
    return {
      emulators,
      appUrl,
      // Stops both emulators (writing their state, when kept) and starts them again on new ports.
      restartEmulators: async () => {
        await emulators!.close();
        return start();
      },
    };
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

/** Narrows an install step to the expected kind, or fails the test saying what came instead. */
export function expectKind<K extends InstallStep["kind"]>(
  step: InstallStep,
  kind: K,
): Extract<InstallStep, { kind: K }> {
  if (step.kind !== kind)
    throw new Error(
      `expected ${kind}, got ${JSON.stringify(step, (k, v) => (k === "problem" ? { code: v.code, details: v.details } : v))}`,
    );
  return step as Extract<InstallStep, { kind: K }>;
}
export const problemCode = (step: InstallStep) => expectKind(step, "problem").problem.code;

/** A client address of its own, so that one test's installs never count against another's limits. */
export const freshClient = () => clientKeyOf(`test-${randomUUID()}`);

/**
 * Rackbeat's Install click → our start → e-conomic approval → our callback → the confirmation page,
 * answered as `decision`. Returns every step, for tests that stop in between.
 */
export async function installThroughConsent(
  emulators: Emulators,
  accountId: number,
  agreementNumber: number,
  options: { clientKey?: string; decision?: "confirm" | "decline"; acceptLanguage?: string } = {},
) {
  const { startFromRackbeat, handleEconomicCallback } = await import("@/lib/installations/flows");
  const { describeConsent, answerConsent } = await import("@/lib/installations/consent");
  const clientKey = options.clientKey ?? freshClient();
  const { token: requestToken } = emulators.rackbeat.state.createRequestToken(accountId);
  const start = await startFromRackbeat({
    requestToken,
    state: undefined,
    clientKey,
    acceptLanguage: options.acceptLanguage ?? null,
  });
  if (start.kind !== "redirect") return { requestToken, start, step: start };
  const state = start.state!;
  const returned = await approveGrant(start.url, agreementNumber);
  const callback = await handleEconomicCallback({ query: returned, state, clientKey });
  if (callback.kind !== "redirect") return { requestToken, start, state, returned, callback, step: callback };
  const consent = await describeConsent(state);
  if (consent.kind === "problem")
    return {
      requestToken,
      start,
      state,
      returned,
      callback,
      consent,
      step: { kind: "problem" as const, problem: consent.problem },
    };
  if (consent.kind !== "install") throw new Error(`no consent to give: ${consent.kind}`);
  const step = await answerConsent({
    state,
    csrf: consent.csrf,
    decision: options.decision ?? "confirm",
    clientKey,
  });
  return { requestToken, start, state, returned, callback, consent, step };
}

/** A complete install from Rackbeat's Apps menu, as the integration tests' starting point. Returns the installation id. */
export async function installViaRackbeat(
  emulators: Emulators,
  accountId: number,
  agreementNumber: number,
): Promise<string> {
  const { step } = await installThroughConsent(emulators, accountId, agreementNumber);
  if (step.kind !== "signed-in")
    throw new Error(`install failed: ${step.kind === "problem" ? step.problem.code : step.kind}`);
  return step.bindings[0].id;
}
