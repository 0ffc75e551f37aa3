import { eq, inArray, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { schema } from "@/db/client";
import { installationFor } from "@/lib/installations/repository";
import { decryptToken } from "@/lib/crypto";
import { connectRackbeatWithApiKey } from "@/lib/installations/api-key";
import { answerConsent, describeConsent } from "@/lib/installations/consent";
import {
  CONSENT_PATH,
  handleEconomicCallback,
  startEconomicGrant,
  startFromRackbeat,
} from "@/lib/installations/flows";
import { findPendingByState } from "@/lib/installations/pending";
import { findByRackbeatAccount } from "@/lib/installations/repository";
import { loadEconomicChoices } from "@/lib/settings/choices";
import { RACKBEAT_WEBHOOK_EVENTS } from "@/lib/uncertain";
import { demoApiKey } from "@/tests/emulators/rackbeat/state";
import {
  approveGrant,
  freshClient,
  installThroughConsent,
  withApp,
  expectKind,
  problemCode,
} from "@/tests/helpers/app";
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

/** How the pending install ended, by the state machine's names (lib/installations/install-state.ts). */
const endingOf = async (state: string | undefined) => {
  const pending = (await findPendingByState(state))!;
  return { state: pending.state, reason: pending.endReason };
};

const install = (accountId = ACCOUNT, agreement = AGREEMENT, options = {}) =>
  installThroughConsent(app().emulators, accountId, agreement, options);

describe("install from Rackbeat's Apps menu", () => {
  it("accepts on arrival, names both sides for the confirmation, and binds only when confirmed", async () => {
    const clientKey = freshClient();
    const { token: requestToken } = rackbeat().state.createRequestToken(ACCOUNT);
    const start = expectKind(
      await startFromRackbeat({
        requestToken,
        state: undefined,
        clientKey,
        acceptLanguage: "da-DK,da;q=0.9",
      }),
      "redirect",
    );
    expect(start.url).toContain("/secure/api1/requestaccess.aspx");
    expect(new URL(start.url).searchParams.get("locale")).toBe("da-DK");
    // Accepted at once, so that the page can name the account; nothing is bound yet.
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("accepted");
    const callback = expectKind(
      await handleEconomicCallback({
        query: await approveGrant(start.url, AGREEMENT),
        state: start.state!,
        clientKey,
      }),
      "redirect",
    );
    expect(callback.url).toBe(CONSENT_PATH);
    expect(await findByRackbeatAccount(String(ACCOUNT))).toBeUndefined();
    const consent = await describeConsent(start.state!);
    expect(consent).toMatchObject({
      kind: "install",
      rackbeat: { number: "51001", name: "Nordlys Engros ApS" },
      economic: { number: "700001", name: "Nordlys Engros ApS" },
      reinstall: false,
    });
    if (consent.kind !== "install") throw new Error("expected an install to confirm");
    const done = expectKind(
      await answerConsent({ state: start.state!, csrf: consent.csrf, decision: "confirm", clientKey }),
      "signed-in",
    );
    expect(done.redirectTo).toMatch(/\/apps\/economic-integration\?account=51001$/);
    const installation = (await findByRackbeatAccount(String(ACCOUNT)))!;
    expect(done.bindings).toEqual([{ id: installation.id, generation: installation.bindingGeneration }]);
    expect(installation).toMatchObject({
      status: "active",
      economicAgreementNumber: AGREEMENT,
      economicCompanyName: "Nordlys Engros ApS",
      rackbeatCompanyName: "Nordlys Engros ApS",
      rackbeatAppSlug: "economic-integration",
    });

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
    const { step, returned } = await install();
    expectKind(step, "signed-in");
    const secrets = [
      returned!.get("token")!,
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
        [
          "installations",
          "pending_installs",
          "rackbeat_webhooks",
          "settings",
          "audit_log",
          "used_grants",
        ].map((t) => db().execute(sql.raw(`select * from ${t}`))),
      ),
    );
    for (const secret of secrets) expect(dump).not.toContain(secret);
  });

  it("refuses a missing Rackbeat token with a page that explains where to start", async () => {
    expect(
      problemCode(
        await startFromRackbeat({
          requestToken: null,
          state: undefined,
          clientKey: freshClient(),
          acceptLanguage: null,
        }),
      ),
    ).toBe("missing_rackbeat_token");
  });

  it("gives the Rackbeat request back when the customer declines in e-conomic", async () => {
    const clientKey = freshClient();
    const { token: requestToken } = rackbeat().state.createRequestToken(ACCOUNT);
    const start = expectKind(
      await startFromRackbeat({ requestToken, state: undefined, clientKey, acceptLanguage: "en" }),
      "redirect",
    );
    const returned = await approveGrant(start.url, AGREEMENT, "decline");
    expect(
      problemCode(await handleEconomicCallback({ query: returned, state: start.state!, clientKey })),
    ).toBe("declined");
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("cancelled");
    expect(await endingOf(start.state!)).toEqual({ state: "declined", reason: "decline" });
    expect(await findByRackbeatAccount(String(ACCOUNT))).toBeUndefined();
  });

  it("gives the request back when the customer declines on the confirmation page", async () => {
    const { step, requestToken, state } = await install(ACCOUNT, AGREEMENT, { decision: "decline" });
    expect(problemCode(step)).toBe("consent_declined");
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("cancelled");
    expect(await endingOf(state)).toEqual({ state: "declined", reason: "decline" });
    expect(await findByRackbeatAccount(String(ACCOUNT))).toBeUndefined();
  });

  it("refuses an invalid grant token and gives the request back", async () => {
    const clientKey = freshClient();
    const { token: requestToken } = rackbeat().state.createRequestToken(ACCOUNT);
    const start = expectKind(
      await startFromRackbeat({ requestToken, state: undefined, clientKey, acceptLanguage: null }),
      "redirect",
    );
    expect(
      problemCode(
        await handleEconomicCallback({
          query: new URLSearchParams({ token: "forged-grant" }),
          state: start.state!,
          clientKey,
        }),
      ),
    ).toBe("invalid_grant");
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("cancelled");
    expect(await endingOf(start.state!)).toEqual({ state: "abandoned", reason: "invalid_grant" });
  });

  it("refuses a state cookie that matches no install (forged state)", async () => {
    const grant = economic().state.issueGrant(AGREEMENT).token;
    expect(
      problemCode(
        await handleEconomicCallback({
          query: new URLSearchParams({ token: grant }),
          state: "forged-state-value",
          clientKey: freshClient(),
        }),
      ),
    ).toBe("state_mismatch");
    expect(await findByRackbeatAccount(String(ACCOUNT))).toBeUndefined();
  });

  it("refuses an expired pending install and gives the request back", async () => {
    const clientKey = freshClient();
    const { token: requestToken } = rackbeat().state.createRequestToken(ACCOUNT);
    const start = expectKind(
      await startFromRackbeat({ requestToken, state: undefined, clientKey, acceptLanguage: null }),
      "redirect",
    );
    const returned = await approveGrant(start.url, AGREEMENT);
    const pending = (await findPendingByState(start.state!))!;
    await db()
      .update(schema.pendingInstalls)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.pendingInstalls.id, pending.id));
    expect(
      problemCode(await handleEconomicCallback({ query: returned, state: start.state!, clientKey })),
    ).toBe("expired");
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("cancelled");
    expect(await endingOf(start.state!)).toEqual({ state: "expired", reason: "expire" });
  });

  it("refuses a Rackbeat token that was already used, or is unknown, at once and cancels nothing", async () => {
    const { token: requestToken } = rackbeat().state.createRequestToken(ACCOUNT);
    await fetch(`${rackbeat().server.url}/integration/accept/${requestToken}`, { method: "POST" });
    const cancelled = rackbeat().state.counters.get("integration.cancelled");
    expect(
      problemCode(
        await startFromRackbeat({
          requestToken,
          state: undefined,
          clientKey: freshClient(),
          acceptLanguage: null,
        }),
      ),
    ).toBe("rackbeat_token_invalid");
    expect(
      problemCode(
        await startFromRackbeat({
          requestToken: "never-issued",
          state: undefined,
          clientKey: freshClient(),
          acceptLanguage: null,
        }),
      ),
    ).toBe("rackbeat_token_invalid");
    expect(rackbeat().state.counters.get("integration.cancelled")).toBe(cancelled);
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("accepted");
  });

  it("gives the accepted request back when a later step fails, and installs nothing", async () => {
    await fetch(`${rackbeat().server.url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({ failures: [{ path: "/api/webhooks", method: "POST", status: 500, count: 1 }] }),
    });
    const { step, requestToken, state } = await install();
    expect(problemCode(step)).toBe("rackbeat_unavailable");
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("cancelled");
    expect(await endingOf(state)).toEqual({ state: "abandoned", reason: "rackbeat_unavailable" });
    expect(rackbeat().state.installed.has(`${ACCOUNT}:economic-integration`)).toBe(false);
    expect(await findByRackbeatAccount(String(ACCOUNT))).toBeUndefined();
  });

  it("says so when e-conomic cannot be reached, and gives the request back", async () => {
    await fetch(`${economic().server.url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({ failures: [{ path: "/self", status: 503, count: 1 }] }),
    });
    const { step, requestToken, state } = await install();
    expect(problemCode(step)).toBe("economic_unavailable");
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("cancelled");
    expect(await endingOf(state)).toEqual({ state: "abandoned", reason: "economic_unavailable" });
  });

  it("answers a replayed callback or confirmation with 'already completed' and creates nothing more", async () => {
    const first = await install();
    expectKind(first.step, "signed-in");
    const counters = JSON.stringify(rackbeat().state.counters.toJSON());
    const clientKey = freshClient();
    expect(
      problemCode(await handleEconomicCallback({ query: first.returned!, state: first.state, clientKey })),
    ).toBe("already_completed");
    if (first.consent?.kind !== "install") throw new Error("expected the install's consent");
    expect(
      problemCode(
        await answerConsent({ state: first.state, csrf: first.consent.csrf, decision: "confirm", clientKey }),
      ),
    ).toBe("already_completed");
    expect(JSON.stringify(rackbeat().state.counters.toJSON())).toBe(counters);
    expect(
      await db()
        .select()
        .from(schema.installations)
        .where(inArray(schema.installations.rackbeatAccountId, [String(ACCOUNT), String(OTHER_ACCOUNT)])),
    ).toHaveLength(1);
  });

  it("lets only one of two simultaneous confirmations complete", async () => {
    const clientKey = freshClient();
    const { token: requestToken } = rackbeat().state.createRequestToken(ACCOUNT);
    const start = expectKind(
      await startFromRackbeat({ requestToken, state: undefined, clientKey, acceptLanguage: null }),
      "redirect",
    );
    await handleEconomicCallback({
      query: await approveGrant(start.url, AGREEMENT),
      state: start.state!,
      clientKey,
    });
    const consent = await describeConsent(start.state!);
    if (consent.kind !== "install") throw new Error("expected an install to confirm");
    const answer = () =>
      answerConsent({ state: start.state!, csrf: consent.csrf, decision: "confirm", clientKey });
    const results = await Promise.all([answer(), answer()]);
    expect(results.map((r) => r.kind).sort()).toEqual(["problem", "signed-in"]);
    expect(await endingOf(start.state!)).toEqual({ state: "confirmed", reason: "complete" });
    expect(rackbeat().state.webhooks.filter((w) => w.accountId === ACCOUNT)).toHaveLength(
      RACKBEAT_WEBHOOK_EVENTS.length,
    );
    expect(await findByRackbeatAccount(String(ACCOUNT))).toMatchObject({ bindingGeneration: 1 });
  });
});

describe("install from e-conomic Market", () => {
  const approveStateless = async (agreement = AGREEMENT, clientKey = freshClient()) => {
    const grant = economic().state.issueGrant(agreement).token;
    const first = expectKind(
      await handleEconomicCallback({
        query: new URLSearchParams({ token: grant }),
        state: undefined,
        clientKey,
      }),
      "redirect",
    );
    return { grant, first, clientKey };
  };

  it("keeps the approval, asks for Rackbeat, then for a confirmation, without a second trip to e-conomic", async () => {
    const { grant, first, clientKey } = await approveStateless();
    expect(first.url).toBe("/install/connect");
    expect(await findPendingByState(first.state!)).toMatchObject({
      origin: "economic_first",
      economicAgreementNumber: AGREEMENT,
      economicCompanyName: "Nordlys Engros ApS",
    });
    const grantsBefore = economic().state.counters.get("grants");
    const { token: requestToken } = rackbeat().state.createRequestToken(ACCOUNT);
    const onInstall = expectKind(
      await startFromRackbeat({ requestToken, state: first.state!, clientKey, acceptLanguage: null }),
      "redirect",
    );
    expect(onInstall.url).toBe(CONSENT_PATH);
    expect(await findByRackbeatAccount(String(ACCOUNT))).toBeUndefined();
    const consent = await describeConsent(first.state!);
    if (consent.kind !== "install") throw new Error("expected an install to confirm");
    const done = expectKind(
      await answerConsent({ state: first.state!, csrf: consent.csrf, decision: "confirm", clientKey }),
      "signed-in",
    );
    expect(economic().state.counters.get("grants")).toBe(grantsBefore);
    const installation = (await findByRackbeatAccount(String(ACCOUNT)))!;
    expect(done.bindings.map((b) => b.id)).toEqual([installation.id]);
    expect(decryptToken(installation.economicGrantToken!)).toBe(grant);
  });

  it("connects with a pasted Rackbeat API key as a fallback, after the same confirmation", async () => {
    const { first, clientKey } = await approveStateless();
    const result = await connectRackbeatWithApiKey({
      state: first.state!,
      apiKey: demoApiKey(ACCOUNT),
      clientKey,
    });
    expect(result).toEqual({ ok: true, redirectTo: CONSENT_PATH });
    const consent = await describeConsent(first.state!);
    if (consent.kind !== "install") throw new Error("expected an install to confirm");
    expect(consent.rackbeat).toEqual({ number: "51001", name: "Nordlys Engros ApS" });
    const done = expectKind(
      await answerConsent({ state: first.state!, csrf: consent.csrf, decision: "confirm", clientKey }),
      "signed-in",
    );
    const installation = (await findByRackbeatAccount(String(ACCOUNT)))!;
    expect(done.redirectTo).toBe(`/installations/${installation.id}`);
    expect(installation.rackbeatTokenKind).toBe("api_key");
  });

  it("asks before signing in when the approved agreement already has an installation", async () => {
    expectKind((await install()).step, "signed-in");
    const installation = (await findByRackbeatAccount(String(ACCOUNT)))!;
    const { first, clientKey } = await approveStateless();
    expect(first.url).toBe(CONSENT_PATH);
    const consent = await describeConsent(first.state!);
    expect(consent).toMatchObject({
      kind: "signin",
      economic: { number: "700001" },
      installations: [{ rackbeat: { number: "51001", name: "Nordlys Engros ApS" } }],
    });
    if (consent.kind !== "signin") throw new Error("expected a sign-in to confirm");
    const done = expectKind(
      await answerConsent({ state: first.state!, csrf: consent.csrf, decision: "confirm", clientKey }),
      "signed-in",
    );
    expect(done.bindings).toEqual([{ id: installation.id, generation: installation.bindingGeneration }]);
  });
});

describe("reinstall, conflicts, uninstall", () => {
  it("reinstalling the same Rackbeat account replaces its tokens, keeps settings and history, ends old sessions", async () => {
    const first = expectKind((await install()).step, "signed-in");
    const before = (await findByRackbeatAccount(String(ACCOUNT)))!;
    await db()
      .update(schema.settings)
      .set({ values: { debtorIntegration: true }, version: 4 })
      .where(eq(schema.settings.installationId, before.id));
    const again = await install();
    expect(again.consent).toMatchObject({ kind: "install", reinstall: true });
    expect(again.consent).not.toHaveProperty("previousAgreement");
    const second = expectKind(again.step, "signed-in");
    const after = (await findByRackbeatAccount(String(ACCOUNT)))!;
    expect(after.id).toBe(before.id);
    expect(after.bindingGeneration).toBe(before.bindingGeneration + 1);
    expect(second.bindings[0].generation).toBe(after.bindingGeneration);
    expect(first.bindings[0].generation).not.toBe(after.bindingGeneration);
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

  it("names the old and the new agreement before moving an installation, and records the move", async () => {
    expectKind((await install(ACCOUNT, AGREEMENT)).step, "signed-in");
    const moved = await install(ACCOUNT, OTHER_AGREEMENT);
    expect(moved.consent).toMatchObject({
      kind: "install",
      economic: { number: "700002" },
      previousAgreement: { number: "700001", name: "Nordlys Engros ApS" },
    });
    expectKind(moved.step, "signed-in");
    const installation = (await findByRackbeatAccount(String(ACCOUNT)))!;
    const [entry] = await db()
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.installationId, installation.id))
      .orderBy(sql`${schema.auditLog.id} desc`)
      .limit(1);
    expect(entry.details).toMatchObject({
      economicAgreement: OTHER_AGREEMENT,
      previousEconomicAgreement: AGREEMENT,
    });
  });

  it("refuses to connect one e-conomic agreement to a second Rackbeat account, before asking", async () => {
    expectKind((await install(ACCOUNT, AGREEMENT)).step, "signed-in");
    const { step, requestToken } = await install(OTHER_ACCOUNT, AGREEMENT);
    expect(problemCode(step)).toBe("agreement_taken");
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("cancelled");
    expectKind((await install(OTHER_ACCOUNT, OTHER_AGREEMENT)).step, "signed-in");
  });

  it("the confirmation page changes nothing when rendered (GET), even for an agreement taken meanwhile", async () => {
    // Another account's install reaches the confirmation first; then the agreement is connected elsewhere.
    const clientKey = freshClient();
    const { token: requestToken } = rackbeat().state.createRequestToken(OTHER_ACCOUNT);
    const start = expectKind(
      await startFromRackbeat({ requestToken, state: undefined, clientKey, acceptLanguage: null }),
      "redirect",
    );
    expectKind(
      await handleEconomicCallback({
        query: await approveGrant(start.url, AGREEMENT),
        state: start.state!,
        clientKey,
      }),
      "redirect",
    );
    expectKind((await install(ACCOUNT, AGREEMENT)).step, "signed-in");
    // Rendered (and prefetched) twice: it says why, and consumes, cancels and writes nothing.
    for (let i = 0; i < 2; i++)
      expect(await describeConsent(start.state!)).toMatchObject({
        kind: "problem",
        problem: { code: "agreement_taken" },
      });
    expect((await findPendingByState(start.state!))!.state).toBe("both_sides_known");
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("accepted");
  });

  it("plugin.uninstalled marks the installation uninstalled, wipes its tokens and ends its sessions", async () => {
    const done = expectKind((await install()).step, "signed-in");
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
      bindingGeneration: done.bindings[0].generation + 1,
    });
    const rows = await db()
      .select()
      .from(schema.rackbeatWebhooks)
      .where(eq(schema.rackbeatWebhooks.installationId, installation.id));
    // Only the uninstall webhook keeps its token, so that a redelivery is acknowledged.
    expect(rows.filter((r) => r.token !== null).map((r) => r.event)).toEqual(["plugin.uninstalled"]);
    // Acknowledged: the emulator records the answer once it has arrived (just after our commit).
    await expect
      .poll(() => rackbeat().state.deliveries.find((d) => d.event === "plugin.uninstalled")!.status)
      .toBe(200);
  });
});

describe("revocation, reconnect and sign-in", () => {
  it("notices a revoked grant, pauses, and resumes when the same agreement is reconnected", async () => {
    const { returned } = await install();
    const installation = (await findByRackbeatAccount(String(ACCOUNT)))!;
    await fetch(`${economic().server.url}/__control/revoke`, {
      method: "POST",
      body: JSON.stringify({ token: returned!.get("token") }),
    });
    // Any call through withEconomic that meets a 401 pauses the installation (here the settings lists).
    await expect(loadEconomicChoices(installation)).rejects.toMatchObject({ status: 401 });
    expect((await findByRackbeatAccount(String(ACCOUNT)))!.status).toBe("economic_revoked");

    const clientKey = freshClient();
    const reconnect = (allowed: string[]) =>
      startEconomicGrant({
        intent: "reconnect",
        installationId: installation.id,
        allowedInstallationIds: allowed,
        clientKey,
        acceptLanguage: null,
      });
    // Someone without access to the installation cannot start its reconnect.
    expect(problemCode(await reconnect([]))).toBe("not_found");

    const wrong = expectKind(await reconnect([installation.id]), "redirect");
    expect(
      problemCode(
        await handleEconomicCallback({
          query: await approveGrant(wrong.url, OTHER_AGREEMENT),
          state: wrong.state!,
          clientKey,
        }),
      ),
    ).toBe("reconnect_mismatch");

    const right = expectKind(await reconnect([installation.id]), "redirect");
    expectKind(
      await handleEconomicCallback({
        query: await approveGrant(right.url, AGREEMENT),
        state: right.state!,
        clientKey,
      }),
      "signed-in",
    );
    const reconnected = (await findByRackbeatAccount(String(ACCOUNT)))!;
    expect(reconnected.status).toBe("active");
    expect((await loadEconomicChoices(reconnected)).accounts.length).toBeGreaterThan(0);
  });

  it("signs in with e-conomic to the installations of the approved agreement only", async () => {
    expectKind((await install(ACCOUNT, AGREEMENT)).step, "signed-in");
    expectKind((await install(OTHER_ACCOUNT, OTHER_AGREEMENT)).step, "signed-in");
    const mine = (await findByRackbeatAccount(String(ACCOUNT)))!;
    const theirs = (await findByRackbeatAccount(String(OTHER_ACCOUNT)))!;
    const clientKey = freshClient();
    const start = expectKind(
      await startEconomicGrant({
        intent: "signin",
        allowedInstallationIds: [],
        clientKey,
        acceptLanguage: null,
      }),
      "redirect",
    );
    const done = expectKind(
      await handleEconomicCallback({
        query: await approveGrant(start.url, AGREEMENT),
        state: start.state!,
        clientKey,
      }),
      "signed-in",
    );
    const ids = done.bindings.map((b) => b.id);
    expect(ids).toEqual([mine.id]);
    expect(await installationFor(mine.id, ids)).toBeDefined();
    expect(await installationFor(theirs.id, ids)).toBeUndefined();
  });

  it("keeps the newest verified grant on sign-in, so a dead stored grant never shows 'revoked'", async () => {
    const { returned } = await install();
    // The stored grant dies (the customer removed and re-added the app in e-conomic, say)...
    await fetch(`${economic().server.url}/__control/revoke`, {
      method: "POST",
      body: JSON.stringify({ token: returned!.get("token") }),
    });
    const clientKey = freshClient();
    const start = expectKind(
      await startEconomicGrant({
        intent: "signin",
        allowedInstallationIds: [],
        clientKey,
        acceptLanguage: null,
      }),
      "redirect",
    );
    const fresh = await approveGrant(start.url, AGREEMENT);
    expectKind(await handleEconomicCallback({ query: fresh, state: start.state!, clientKey }), "signed-in");
    // ...and the sign-in's fresh grant replaced it before any page could mark the installation revoked.
    const installation = (await findByRackbeatAccount(String(ACCOUNT)))!;
    expect(decryptToken(installation.economicGrantToken!)).toBe(fresh.get("token"));
    expect((await loadEconomicChoices(installation)).accounts.length).toBeGreaterThan(0);
    expect((await findByRackbeatAccount(String(ACCOUNT)))!.status).toBe("active");
  });
});
