import { eq, inArray, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { schema } from "@/db/client";
import { installationFor } from "@/lib/auth/access";
import { decryptToken } from "@/lib/crypto";
import {
  finishEconomicFirst,
  handleEconomicCallback,
  startEconomicGrant,
  startFromRackbeat,
  type InstallStep,
} from "@/lib/installations/flows";
import { loadEconomicChoices } from "@/lib/settings/choices";
import { findPendingByState } from "@/lib/installations/pending";
import { findByRackbeatAccount } from "@/lib/installations/repository";
import { RACKBEAT_WEBHOOK_EVENTS } from "@/lib/uncertain";
import { demoApiKey } from "@/tests/emulators/rackbeat/state";
import { approveGrant, withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";

const db = withTestDb();
const app = withApp();
const AGREEMENT = 700001;
const OTHER_AGREEMENT = 700002;
const ACCOUNT = 51001;
const OTHER_ACCOUNT = 51002;

const rackbeat = () => app().emulators.rackbeat;
const economic = () => app().emulators.economic;

beforeEach(async () => {
  rackbeat().state.reset();
  economic().state.reset();
  // Each test starts without installations; the emulators' account numbers are reused across tests.
  await db()
    .delete(schema.installations)
    .where(inArray(schema.installations.rackbeatAccountId, [String(ACCOUNT), String(OTHER_ACCOUNT)]));
  await db().delete(schema.pendingInstalls);
});

function expectKind<K extends InstallStep["kind"]>(
  step: InstallStep,
  kind: K,
): Extract<InstallStep, { kind: K }> {
  if (step.kind !== kind)
    throw new Error(
      `expected ${kind}, got ${JSON.stringify(step, (k, v) => (k === "problem" ? { code: v.code, details: v.details } : v))}`,
    );
  return step as Extract<InstallStep, { kind: K }>;
}
const problemCode = (step: InstallStep) => expectKind(step, "problem").problem.code;

/** Rackbeat's Install click → our start → e-conomic approval → our callback. */
async function installFromRackbeat(accountId = ACCOUNT, agreement = AGREEMENT) {
  const { token: requestToken } = rackbeat().state.createRequestToken(accountId);
  const start = expectKind(
    await startFromRackbeat({ requestToken, state: undefined, acceptLanguage: "da-DK,da;q=0.9" }),
    "redirect",
  );
  expect(start.url).toContain("/secure/api1/requestaccess.aspx");
  expect(new URL(start.url).searchParams.get("locale")).toBe("da-DK");
  const returned = await approveGrant(start.url, agreement);
  const step = await handleEconomicCallback({ query: returned, state: start.state! });
  return { requestToken, state: start.state!, returned, step };
}

describe("install from Rackbeat's Apps menu", () => {
  it("installs, registers webhooks and the settings URL, and signs the customer in", async () => {
    const { step, requestToken } = await installFromRackbeat();
    const done = expectKind(step, "signed-in");
    expect(done.redirectTo).toMatch(/\/apps\/economic-integration\?account=51001$/);
    const installation = (await findByRackbeatAccount(String(ACCOUNT)))!;
    expect(done.installationIds).toEqual([installation.id]);
    expect(installation).toMatchObject({
      status: "active",
      economicAgreementNumber: AGREEMENT,
      economicCompanyName: "Nordlys Engros ApS",
      rackbeatCompanyName: "Nordlys Engros ApS",
      rackbeatAppSlug: "economic-integration",
    });
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("accepted");

    const hooks = rackbeat().state.webhooks.filter((w) => w.accountId === ACCOUNT);
    expect(hooks.map((w) => w.event).sort()).toEqual([...RACKBEAT_WEBHOOK_EVENTS].sort());
    expect(new Set(hooks.map((w) => w.url))).toEqual(new Set([`${app().appUrl}/api/webhooks/rackbeat`]));
    const rows = await db()
      .select()
      .from(schema.rackbeatWebhooks)
      .where(eq(schema.rackbeatWebhooks.installationId, installation.id));
    expect(rows).toHaveLength(RACKBEAT_WEBHOOK_EVENTS.length);
    for (const row of rows)
      expect(decryptToken(row.token!)).toBe(hooks.find((h) => h.event === row.event)!.token);

    const settingsUrl = rackbeat().state.settingsUrls.get(`${ACCOUNT}:economic-integration`)!;
    expect(settingsUrl).toMatch(new RegExp(`^${app().appUrl}/launch/${installation.id}/[\\w-]{40,}$`));
    const [settings] = await db()
      .select()
      .from(schema.settings)
      .where(eq(schema.settings.installationId, installation.id));
    expect(settings.version).toBe(1);
    const audit = await db()
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.installationId, installation.id));
    expect(audit.map((a) => a.action)).toContain("installation.installed");
  });

  it("stores no token in plaintext anywhere in the database", async () => {
    const { step, returned } = await installFromRackbeat();
    expectKind(step, "signed-in");
    const secrets = [
      returned.get("token")!,
      ...rackbeat().state.webhooks.map((w) => w.token),
      ...[...rackbeat().state.tokens.entries()].filter(([, t]) => t.plugin).map(([k]) => k),
    ];
    const launchSecret = rackbeat()
      .state.settingsUrls.get(`${ACCOUNT}:economic-integration`)!
      .split("/")
      .pop()!;
    secrets.push(launchSecret);
    const dump = JSON.stringify(
      await Promise.all(
        ["installations", "pending_installs", "rackbeat_webhooks", "settings", "audit_log"].map((t) =>
          db().execute(sql.raw(`select * from ${t}`)),
        ),
      ),
    );
    for (const secret of secrets) expect(dump).not.toContain(secret);
  });

  it("refuses a missing Rackbeat token with a page that explains where to start", async () => {
    expect(
      problemCode(await startFromRackbeat({ requestToken: null, state: undefined, acceptLanguage: null })),
    ).toBe("missing_rackbeat_token");
  });

  it("cancels the Rackbeat request when the customer declines in e-conomic", async () => {
    const { token: requestToken } = rackbeat().state.createRequestToken(ACCOUNT);
    const start = expectKind(
      await startFromRackbeat({ requestToken, state: undefined, acceptLanguage: "en" }),
      "redirect",
    );
    const returned = await approveGrant(start.url, AGREEMENT, "decline");
    expect(problemCode(await handleEconomicCallback({ query: returned, state: start.state! }))).toBe(
      "declined",
    );
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("cancelled");
    expect(await findByRackbeatAccount(String(ACCOUNT))).toBeUndefined();
  });

  it("refuses an invalid grant token and cancels the Rackbeat request", async () => {
    const { token: requestToken } = rackbeat().state.createRequestToken(ACCOUNT);
    const start = expectKind(
      await startFromRackbeat({ requestToken, state: undefined, acceptLanguage: null }),
      "redirect",
    );
    expect(
      problemCode(
        await handleEconomicCallback({
          query: new URLSearchParams({ token: "forged-grant" }),
          state: start.state!,
        }),
      ),
    ).toBe("invalid_grant");
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("cancelled");
  });

  it("refuses a state cookie that matches no install (forged state)", async () => {
    const grant = economic().state.issueGrant(AGREEMENT).token;
    expect(
      problemCode(
        await handleEconomicCallback({
          query: new URLSearchParams({ token: grant }),
          state: "forged-state-value",
        }),
      ),
    ).toBe("state_mismatch");
    expect(await findByRackbeatAccount(String(ACCOUNT))).toBeUndefined();
  });

  it("refuses an expired pending install and cancels the Rackbeat request", async () => {
    const { token: requestToken } = rackbeat().state.createRequestToken(ACCOUNT);
    const start = expectKind(
      await startFromRackbeat({ requestToken, state: undefined, acceptLanguage: null }),
      "redirect",
    );
    const returned = await approveGrant(start.url, AGREEMENT);
    const pending = (await findPendingByState(start.state!))!;
    await db()
      .update(schema.pendingInstalls)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.pendingInstalls.id, pending.id));
    expect(problemCode(await handleEconomicCallback({ query: returned, state: start.state! }))).toBe(
      "expired",
    );
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("cancelled");
  });

  it("refuses a Rackbeat token that was already used, or is unknown", async () => {
    const { token: requestToken } = rackbeat().state.createRequestToken(ACCOUNT);
    await fetch(`${rackbeat().server.url}/integration/accept/${requestToken}`, { method: "POST" });
    const start = expectKind(
      await startFromRackbeat({ requestToken, state: undefined, acceptLanguage: null }),
      "redirect",
    );
    expect(
      problemCode(
        await handleEconomicCallback({
          query: await approveGrant(start.url, AGREEMENT),
          state: start.state!,
        }),
      ),
    ).toBe("rackbeat_token_invalid");
    const unknown = expectKind(
      await startFromRackbeat({ requestToken: "never-issued", state: undefined, acceptLanguage: null }),
      "redirect",
    );
    expect(
      problemCode(
        await handleEconomicCallback({
          query: await approveGrant(unknown.url, AGREEMENT),
          state: unknown.state!,
        }),
      ),
    ).toBe("rackbeat_token_invalid");
  });

  it("cancels the accepted Rackbeat request when a later step fails, and installs nothing", async () => {
    await fetch(`${rackbeat().server.url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({ failures: [{ path: "/api/webhooks", method: "POST", status: 500, count: 1 }] }),
    });
    const { step, requestToken } = await installFromRackbeat();
    expect(problemCode(step)).toBe("rackbeat_unavailable");
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("cancelled");
    expect(rackbeat().state.installed.has(`${ACCOUNT}:economic-integration`)).toBe(false);
    expect(await findByRackbeatAccount(String(ACCOUNT))).toBeUndefined();
  });

  it("says so when e-conomic cannot be reached, and cancels the Rackbeat request", async () => {
    await fetch(`${economic().server.url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({ failures: [{ path: "/self", status: 503, count: 1 }] }),
    });
    const { step, requestToken } = await installFromRackbeat();
    expect(problemCode(step)).toBe("economic_unavailable");
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("cancelled");
  });

  it("answers a replayed callback with 'already completed' and creates nothing more", async () => {
    const { step, returned, state } = await installFromRackbeat();
    expectKind(step, "signed-in");
    const counters = JSON.stringify(rackbeat().state.counters.toJSON());
    expect(problemCode(await handleEconomicCallback({ query: returned, state }))).toBe("already_completed");
    expect(JSON.stringify(rackbeat().state.counters.toJSON())).toBe(counters);
    expect(
      await db()
        .select()
        .from(schema.installations)
        .where(inArray(schema.installations.rackbeatAccountId, [String(ACCOUNT), String(OTHER_ACCOUNT)])),
    ).toHaveLength(1);
  });

  it("lets only one of two simultaneous callbacks complete", async () => {
    const { token: requestToken } = rackbeat().state.createRequestToken(ACCOUNT);
    const start = expectKind(
      await startFromRackbeat({ requestToken, state: undefined, acceptLanguage: null }),
      "redirect",
    );
    const returned = await approveGrant(start.url, AGREEMENT);
    const results = await Promise.all([
      handleEconomicCallback({ query: returned, state: start.state! }),
      handleEconomicCallback({ query: returned, state: start.state! }),
    ]);
    expect(results.map((r) => r.kind).sort()).toEqual(["problem", "signed-in"]);
    expect(rackbeat().state.counters.get("integration.accepted")).toBe(1);
  });
});

describe("install from e-conomic Market", () => {
  it("keeps the approval, asks for Rackbeat, and completes on Install without a second trip to e-conomic", async () => {
    const grant = economic().state.issueGrant(AGREEMENT).token;
    const first = expectKind(
      await handleEconomicCallback({ query: new URLSearchParams({ token: grant }), state: undefined }),
      "redirect",
    );
    expect(first.url).toBe("/install/connect");
    const pending = (await findPendingByState(first.state!))!;
    expect(pending).toMatchObject({
      origin: "economic_first",
      economicAgreementNumber: AGREEMENT,
      economicCompanyName: "Nordlys Engros ApS",
    });
    const grantsBefore = economic().state.counters.get("grants");
    const { token: requestToken } = rackbeat().state.createRequestToken(ACCOUNT);
    const done = expectKind(
      await startFromRackbeat({ requestToken, state: first.state!, acceptLanguage: null }),
      "signed-in",
    );
    expect(economic().state.counters.get("grants")).toBe(grantsBefore);
    const installation = (await findByRackbeatAccount(String(ACCOUNT)))!;
    expect(done.installationIds).toEqual([installation.id]);
    expect(decryptToken(installation.economicGrantToken!)).toBe(grant);
  });

  it("connects with a pasted Rackbeat API key as a fallback", async () => {
    const grant = economic().state.issueGrant(AGREEMENT).token;
    const first = expectKind(
      await handleEconomicCallback({ query: new URLSearchParams({ token: grant }), state: undefined }),
      "redirect",
    );
    const done = expectKind(
      await finishEconomicFirst((await findPendingByState(first.state!))!, { apiKey: demoApiKey(ACCOUNT) }),
      "signed-in",
    );
    const installation = (await findByRackbeatAccount(String(ACCOUNT)))!;
    expect(done.redirectTo).toBe(`/installations/${installation.id}`);
    expect(installation.rackbeatTokenKind).toBe("api_key");
  });
});

describe("reinstall, conflicts, uninstall", () => {
  it("reinstalling the same Rackbeat account replaces its tokens and keeps its settings and history", async () => {
    expectKind((await installFromRackbeat()).step, "signed-in");
    const before = (await findByRackbeatAccount(String(ACCOUNT)))!;
    await db()
      .update(schema.settings)
      .set({ values: { debtorIntegration: true }, version: 4 })
      .where(eq(schema.settings.installationId, before.id));
    expectKind((await installFromRackbeat()).step, "signed-in");
    const after = (await findByRackbeatAccount(String(ACCOUNT)))!;
    expect(after.id).toBe(before.id);
    expect(after.rackbeatAccessToken).not.toBe(before.rackbeatAccessToken);
    expect(decryptToken(after.economicGrantToken!)).not.toBe(decryptToken(before.economicGrantToken!));
    const [settings] = await db()
      .select()
      .from(schema.settings)
      .where(eq(schema.settings.installationId, after.id));
    expect(settings).toMatchObject({ version: 4, values: { debtorIntegration: true } });
    const actions = (
      await db().select().from(schema.auditLog).where(eq(schema.auditLog.installationId, after.id))
    ).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["installation.installed", "installation.reinstalled"]));
    // Webhooks were re-created rather than duplicated, each with a fresh token we hold.
    expect(rackbeat().state.webhooks.filter((w) => w.accountId === ACCOUNT)).toHaveLength(
      RACKBEAT_WEBHOOK_EVENTS.length,
    );
  });

  it("refuses to connect one e-conomic agreement to a second Rackbeat account", async () => {
    expectKind((await installFromRackbeat(ACCOUNT, AGREEMENT)).step, "signed-in");
    const { step, requestToken } = await installFromRackbeat(OTHER_ACCOUNT, AGREEMENT);
    expect(problemCode(step)).toBe("agreement_taken");
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("cancelled");
    expectKind((await installFromRackbeat(OTHER_ACCOUNT, OTHER_AGREEMENT)).step, "signed-in");
  });

  it("plugin.uninstalled marks the installation uninstalled and wipes its tokens", async () => {
    expectKind((await installFromRackbeat()).step, "signed-in");
    await fetch(`${rackbeat().server.url}/__control/accounts/${ACCOUNT}/uninstall`, { method: "POST" });
    const until = Date.now() + 5000;
    while ((await findByRackbeatAccount(String(ACCOUNT)))!.status !== "uninstalled" && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20));
    const installation = (await findByRackbeatAccount(String(ACCOUNT)))!;
    expect(installation).toMatchObject({
      status: "uninstalled",
      rackbeatAccessToken: null,
      economicGrantToken: null,
      launchSecretHash: null,
    });
    const rows = await db()
      .select()
      .from(schema.rackbeatWebhooks)
      .where(eq(schema.rackbeatWebhooks.installationId, installation.id));
    expect(rows.every((r) => r.token === null)).toBe(true);
    expect(rackbeat().state.deliveries.find((d) => d.event === "plugin.uninstalled")!.status).toBe(200);
  });
});

describe("webhook authenticity", () => {
  const post = (headers: Record<string, string>, body: unknown = { key: 1, key_name: "number" }) =>
    fetch(`${app().appUrl}/api/webhooks/rackbeat`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("refuses missing headers, unknown accounts and wrong tokens; accepts the stored token", async () => {
    expectKind((await installFromRackbeat()).step, "signed-in");
    const hook = rackbeat().state.webhooks.find(
      (w) => w.accountId === ACCOUNT && w.event === "customer_invoice.booked",
    )!;
    expect((await post({})).status).toBe(400);
    expect(
      (
        await post({
          "Rackbeat-Webhook-Token": hook.token,
          "Rackbeat-Webhook-Event": hook.event,
          "Rackbeat-Account-Id": "999",
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await post({
          "Rackbeat-Webhook-Token": "x".repeat(32),
          "Rackbeat-Webhook-Event": hook.event,
          "Rackbeat-Account-Id": String(ACCOUNT),
        })
      ).status,
    ).toBe(401);
    // Another event's token does not open this event.
    const other = rackbeat().state.webhooks.find(
      (w) => w.accountId === ACCOUNT && w.event === "plugin.uninstalled",
    )!;
    expect(
      (
        await post({
          "Rackbeat-Webhook-Token": other.token,
          "Rackbeat-Webhook-Event": hook.event,
          "Rackbeat-Account-Id": String(ACCOUNT),
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await post({
          "Rackbeat-Webhook-Token": hook.token,
          "Rackbeat-Webhook-Event": hook.event,
          "Rackbeat-Account-Id": String(ACCOUNT),
        })
      ).status,
    ).toBe(202);
    // A genuine receipt is acknowledged, but it is not something the customer did: no history line.
    const installation = (await findByRackbeatAccount(String(ACCOUNT)))!;
    const history = await db()
      .select({ action: schema.auditLog.action })
      .from(schema.auditLog)
      .where(eq(schema.auditLog.installationId, installation.id));
    expect(history.map((h) => h.action)).not.toContain("webhook.received");
    expect(history.map((h) => h.action)).toContain("installation.installed");
    // A forged uninstall is refused: the installation stays active.
    expect(
      (
        await post({
          "Rackbeat-Webhook-Token": hook.token,
          "Rackbeat-Webhook-Event": "plugin.uninstalled",
          "Rackbeat-Account-Id": String(ACCOUNT),
        })
      ).status,
    ).toBe(401);
    expect((await findByRackbeatAccount(String(ACCOUNT)))!.status).toBe("active");
  });
});

describe("revocation, reconnect and sign-in", () => {
  it("notices a revoked grant, pauses, and resumes when the same agreement is reconnected", async () => {
    const { returned } = await installFromRackbeat();
    const installation = (await findByRackbeatAccount(String(ACCOUNT)))!;
    await fetch(`${economic().server.url}/__control/revoke`, {
      method: "POST",
      body: JSON.stringify({ token: returned.get("token") }),
    });
    // Any call through withEconomic that meets a 401 pauses the installation (here the settings lists).
    await expect(loadEconomicChoices(installation)).rejects.toMatchObject({ status: 401 });
    expect((await findByRackbeatAccount(String(ACCOUNT)))!.status).toBe("economic_revoked");

    // Someone without access to the installation cannot start its reconnect.
    expect(
      problemCode(
        await startEconomicGrant({
          intent: "reconnect",
          installationId: installation.id,
          allowedInstallationIds: [],
          acceptLanguage: null,
        }),
      ),
    ).toBe("not_found");

    const wrong = expectKind(
      await startEconomicGrant({
        intent: "reconnect",
        installationId: installation.id,
        allowedInstallationIds: [installation.id],
        acceptLanguage: null,
      }),
      "redirect",
    );
    expect(
      problemCode(
        await handleEconomicCallback({
          query: await approveGrant(wrong.url, OTHER_AGREEMENT),
          state: wrong.state!,
        }),
      ),
    ).toBe("reconnect_mismatch");

    const right = expectKind(
      await startEconomicGrant({
        intent: "reconnect",
        installationId: installation.id,
        allowedInstallationIds: [installation.id],
        acceptLanguage: null,
      }),
      "redirect",
    );
    expectKind(
      await handleEconomicCallback({ query: await approveGrant(right.url, AGREEMENT), state: right.state! }),
      "signed-in",
    );
    expect((await findByRackbeatAccount(String(ACCOUNT)))!.status).toBe("active");
    const reconnected = (await findByRackbeatAccount(String(ACCOUNT)))!;
    expect((await loadEconomicChoices(reconnected)).accounts.length).toBeGreaterThan(0);
  });

  it("signs in with e-conomic to the installations of the approved agreement only", async () => {
    expectKind((await installFromRackbeat(ACCOUNT, AGREEMENT)).step, "signed-in");
    expectKind((await installFromRackbeat(OTHER_ACCOUNT, OTHER_AGREEMENT)).step, "signed-in");
    const mine = (await findByRackbeatAccount(String(ACCOUNT)))!;
    const theirs = (await findByRackbeatAccount(String(OTHER_ACCOUNT)))!;
    const start = expectKind(
      await startEconomicGrant({ intent: "signin", allowedInstallationIds: [], acceptLanguage: null }),
      "redirect",
    );
    const done = expectKind(
      await handleEconomicCallback({ query: await approveGrant(start.url, AGREEMENT), state: start.state! }),
      "signed-in",
    );
    expect(done.installationIds).toEqual([mine.id]);
    expect(await installationFor(mine.id, done.installationIds)).toBeDefined();
    expect(await installationFor(theirs.id, done.installationIds)).toBeUndefined();
  });
});
