/**
 * The attacks of the install and session review, each reproduced and shown refused: nobody connects
 * someone else's Rackbeat account or e-conomic agreement by sending them a link, sessions follow the
 * binding, only our own Rackbeat requests are cancelled, the webhook route stays cheap and uniform, and
 * anonymous work is limited per address.
 */
import { randomUUID } from "node:crypto";
import { and, count, eq, inArray } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { schema } from "@/db/client";
import { POST as webhookRoute } from "@/app/api/webhooks/rackbeat/route";
import { currentBindings } from "@/lib/auth/access";
import { connectRackbeatWithApiKey } from "@/lib/installations/api-key";
import { answerConsent, describeConsent } from "@/lib/installations/consent";
import {
  CONSENT_PATH,
  handleEconomicCallback,
  startEconomicGrant,
  startFromRackbeat,
  sweepAbandonedInstalls,
} from "@/lib/installations/flows";
import { findPendingByState } from "@/lib/installations/pending";
import { findByRackbeatAccount } from "@/lib/installations/repository";
import { LIMITS, MAX_LIVE_PENDING_PER_CLIENT } from "@/lib/limits";
import { pruneWebhookReceipts } from "@/lib/webhooks/rackbeat";
import { sha256 } from "@/lib/crypto";
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
const VICTIM_ACCOUNT = 51001;
const VICTIM_AGREEMENT = 700001;
const ATTACKER_ACCOUNT = 51002;
const ATTACKER_AGREEMENT = 700002;

const rackbeat = () => app().emulators.rackbeat;
const economic = () => app().emulators.economic;

beforeEach(async () => {
  rackbeat().state.reset();
  economic().state.reset();
  await db()
    .delete(schema.installations)
    .where(
      inArray(schema.installations.rackbeatAccountId, [String(VICTIM_ACCOUNT), String(ATTACKER_ACCOUNT)]),
    );
  await db().delete(schema.pendingInstalls);
});

/** The victim's installation, as it stands: what an attack must leave exactly as it was. */
const snapshot = async () => {
  const i = await findByRackbeatAccount(String(VICTIM_ACCOUNT));
  return (
    i && {
      agreement: i.economicAgreementNumber,
      generation: i.bindingGeneration,
      grant: i.economicGrantToken,
    }
  );
};

describe("consent before binding", () => {
  it("an attacker's approval link does not tie the victim's Rackbeat account to the attacker's agreement", async () => {
    expectKind(
      (await installThroughConsent(app().emulators, VICTIM_ACCOUNT, VICTIM_AGREEMENT)).step,
      "signed-in",
    );
    const before = await snapshot();
    // The attacker approves the app for their own agreement and sends the victim the callback link.
    const attackerGrant = economic().state.issueGrant(ATTACKER_AGREEMENT).token;
    const victimBrowser = freshClient();
    const landed = expectKind(
      await handleEconomicCallback({
        query: new URLSearchParams({ token: attackerGrant }),
        state: undefined,
        clientKey: victimBrowser,
      }),
      "redirect",
    );
    expect(landed.url).toBe("/install/connect");
    // Later the victim clicks Install in their Rackbeat: nothing is bound, a page asks first…
    const { token } = rackbeat().state.createRequestToken(VICTIM_ACCOUNT);
    const onInstall = expectKind(
      await startFromRackbeat({
        requestToken: token,
        state: landed.state!,
        clientKey: victimBrowser,
        acceptLanguage: null,
      }),
      "redirect",
    );
    expect(onInstall.url).toBe(CONSENT_PATH);
    expect(await snapshot()).toEqual(before);
    // …naming the foreign agreement, and the one this would move the installation away from.
    const consent = await describeConsent(landed.state!);
    expect(consent).toMatchObject({
      kind: "install",
      rackbeat: { number: String(VICTIM_ACCOUNT) },
      economic: { number: String(ATTACKER_AGREEMENT), name: "Vestjysk Værktøj A/S" },
      previousAgreement: { number: String(VICTIM_AGREEMENT) },
    });
    if (consent.kind !== "install") throw new Error("expected a consent");
    expectKind(
      await answerConsent({
        state: landed.state!,
        csrf: consent.csrf,
        decision: "decline",
        clientKey: victimBrowser,
      }),
      "problem",
    );
    expect(await snapshot()).toEqual(before);
    // The request we took for an account with a live installation is not cancelled: that would undo it.
    expect(rackbeat().state.requestTokens.get(token)!.status).toBe("accepted");
    expect(rackbeat().state.installed.has(`${VICTIM_ACCOUNT}:economic-integration`)).toBe(true);
  });

  it("replaying the attacker's own grant signs the attacker into nothing of the victim's", async () => {
    expectKind(
      (await installThroughConsent(app().emulators, VICTIM_ACCOUNT, VICTIM_AGREEMENT)).step,
      "signed-in",
    );
    const attackerGrant = economic().state.issueGrant(ATTACKER_AGREEMENT).token;
    const attacker = freshClient();
    const step = expectKind(
      await handleEconomicCallback({
        query: new URLSearchParams({ token: attackerGrant }),
        state: undefined,
        clientKey: attacker,
      }),
      "redirect",
    );
    // The attacker's agreement has no installation: they are asked to connect Rackbeat, nothing more.
    expect(step.url).toBe("/install/connect");
    expect(await describeConsent(step.state!)).toEqual({ kind: "none" });
  });

  it("an attacker's Rackbeat install link does not tie the victim's agreement to the attacker's account", async () => {
    // The attacker clicks Install in their own Rackbeat and sends the victim our start link.
    const { token } = rackbeat().state.createRequestToken(ATTACKER_ACCOUNT);
    const victimBrowser = freshClient();
    const start = expectKind(
      await startFromRackbeat({
        requestToken: token,
        state: undefined,
        clientKey: victimBrowser,
        acceptLanguage: null,
      }),
      "redirect",
    );
    const returned = await approveGrant(start.url, VICTIM_AGREEMENT);
    expect(
      expectKind(
        await handleEconomicCallback({ query: returned, state: start.state!, clientKey: victimBrowser }),
        "redirect",
      ).url,
    ).toBe(CONSENT_PATH);
    const consent = await describeConsent(start.state!);
    // The page names the attacker's Rackbeat account, so the victim can see it is not theirs.
    expect(consent).toMatchObject({
      kind: "install",
      rackbeat: { number: String(ATTACKER_ACCOUNT), name: "Vestjysk Værktøj A/S" },
      economic: { number: String(VICTIM_AGREEMENT) },
    });
    if (consent.kind !== "install") throw new Error("expected a consent");
    await answerConsent({
      state: start.state!,
      csrf: consent.csrf,
      decision: "decline",
      clientKey: victimBrowser,
    });
    expect(await findByRackbeatAccount(String(ATTACKER_ACCOUNT))).toBeUndefined();
    expect(rackbeat().state.requestTokens.get(token)!.status).toBe("cancelled");
    // The victim's grant was never used, and is not kept anywhere.
    const pending = await findPendingByState(start.state!);
    expect(pending).toMatchObject({ state: "declined", endedAt: expect.any(Date) });
  });

  it("refuses a confirmation without this page's signed value, or from another browser's install", async () => {
    const mine = freshClient();
    const { token } = rackbeat().state.createRequestToken(VICTIM_ACCOUNT);
    const start = expectKind(
      await startFromRackbeat({
        requestToken: token,
        state: undefined,
        clientKey: mine,
        acceptLanguage: null,
      }),
      "redirect",
    );
    await handleEconomicCallback({
      query: await approveGrant(start.url, VICTIM_AGREEMENT),
      state: start.state!,
      clientKey: mine,
    });
    const other = await installThroughConsent(app().emulators, ATTACKER_ACCOUNT, ATTACKER_AGREEMENT, {
      decision: "decline",
    });
    const otherCsrf = other.consent?.kind === "install" ? other.consent.csrf : "";
    for (const csrf of ["", "forged.value", otherCsrf])
      expect(
        problemCode(await answerConsent({ state: start.state!, csrf, decision: "confirm", clientKey: mine })),
      ).toBe("state_mismatch");
    const consent = await describeConsent(start.state!);
    if (consent.kind !== "install") throw new Error("expected a consent");
    expect(
      problemCode(
        await answerConsent({ state: undefined, csrf: consent.csrf, decision: "confirm", clientKey: mine }),
      ),
    ).toBe("state_mismatch");
    expect(await findByRackbeatAccount(String(VICTIM_ACCOUNT))).toBeUndefined();
  });
});

describe("no takeovers through the API-key fallback", () => {
  it("refuses a key for an account that already has the app installed", async () => {
    expectKind(
      (await installThroughConsent(app().emulators, VICTIM_ACCOUNT, VICTIM_AGREEMENT)).step,
      "signed-in",
    );
    const before = await snapshot();
    const attacker = freshClient();
    const grant = economic().state.issueGrant(ATTACKER_AGREEMENT).token;
    const step = expectKind(
      await handleEconomicCallback({
        query: new URLSearchParams({ token: grant }),
        state: undefined,
        clientKey: attacker,
      }),
      "redirect",
    );
    const result = await connectRackbeatWithApiKey({
      state: step.state!,
      apiKey: demoApiKey(VICTIM_ACCOUNT),
      clientKey: attacker,
    });
    expect(result).toEqual({
      ok: false,
      field: "apiKey",
      message: { code: "connect.account_already_installed" },
    });
    expect(await describeConsent(step.state!)).toEqual({ kind: "none" });
    expect(await snapshot()).toEqual(before);
  });

  it("is limited per address, so it is no key-validity oracle", async () => {
    const attacker = freshClient();
    const grant = economic().state.issueGrant(ATTACKER_AGREEMENT).token;
    const step = expectKind(
      await handleEconomicCallback({
        query: new URLSearchParams({ token: grant }),
        state: undefined,
        clientKey: attacker,
      }),
      "redirect",
    );
    const before = rackbeat().state.counters.toJSON();
    const answers = [];
    for (let i = 0; i < LIMITS.apiKey.max + 3; i++)
      answers.push(
        await connectRackbeatWithApiKey({
          state: step.state!,
          apiKey: `guess-${i}-xxxxxxxxxxxxxxxx`,
          clientKey: attacker,
        }),
      );
    expect(
      answers.slice(0, LIMITS.apiKey.max).every((a) => !a.ok && a.message.code === "connect.key_refused"),
    ).toBe(true);
    expect(
      answers.slice(LIMITS.apiKey.max).every((a) => !a.ok && a.message.code === "connect.rate_limited"),
    ).toBe(true);
    expect(JSON.stringify(rackbeat().state.counters.toJSON())).not.toBe(JSON.stringify(before));
  });
});

describe("sessions follow the binding", () => {
  it("a rebinding or an uninstall ends access proved for the old binding at once", async () => {
    const first = expectKind(
      (await installThroughConsent(app().emulators, VICTIM_ACCOUNT, VICTIM_AGREEMENT)).step,
      "signed-in",
    );
    expect(await currentBindings(first.bindings)).toEqual([first.bindings[0].id]);
    const second = expectKind(
      (await installThroughConsent(app().emulators, VICTIM_ACCOUNT, VICTIM_AGREEMENT)).step,
      "signed-in",
    );
    expect(await currentBindings(first.bindings)).toEqual([]);
    expect(await currentBindings(second.bindings)).toEqual([second.bindings[0].id]);
    await fetch(`${rackbeat().server.url}/__control/accounts/${VICTIM_ACCOUNT}/uninstall`, {
      method: "POST",
    });
    await expect
      .poll(async () => (await findByRackbeatAccount(String(VICTIM_ACCOUNT)))!.status, { timeout: 5000 })
      .toBe("uninstalled");
    expect(await currentBindings(second.bindings)).toEqual([]);
  });

  it("a grant from a URL signs in once: a link left in history or a log opens nothing later", async () => {
    const { returned, step } = await installThroughConsent(app().emulators, VICTIM_ACCOUNT, VICTIM_AGREEMENT);
    expectKind(step, "signed-in");
    const used = new URLSearchParams({ token: returned!.get("token")! });
    const calls = economic().state.counters.get("requests.GET");
    expect(
      problemCode(await handleEconomicCallback({ query: used, state: undefined, clientKey: freshClient() })),
    ).toBe("already_completed");
    // Nor through a sign-in the attacker starts themselves and feeds the old grant.
    const attacker = freshClient();
    const start = expectKind(
      await startEconomicGrant({
        intent: "signin",
        allowedInstallationIds: [],
        clientKey: attacker,
        acceptLanguage: null,
      }),
      "redirect",
    );
    expect(
      problemCode(await handleEconomicCallback({ query: used, state: start.state!, clientKey: attacker })),
    ).toBe("already_completed");
    // A used grant costs no e-conomic call.
    expect(economic().state.counters.get("requests.GET")).toBe(calls);
  });
});

describe("cancel only what we hold", () => {
  it("an old Rackbeat request token cannot cancel a live install", async () => {
    const { requestToken, step } = await installThroughConsent(
      app().emulators,
      VICTIM_ACCOUNT,
      VICTIM_AGREEMENT,
    );
    expectKind(step, "signed-in");
    const attacker = freshClient();
    // The old token is refused at once (already accepted); nothing is stored, nothing cancelled.
    expect(
      problemCode(
        await startFromRackbeat({
          requestToken,
          state: undefined,
          clientKey: attacker,
          acceptLanguage: null,
        }),
      ),
    ).toBe("rackbeat_token_invalid");
    // Declining a fresh request for an account that is installed does not undo the installation either.
    const { step: declined } = await installThroughConsent(
      app().emulators,
      VICTIM_ACCOUNT,
      VICTIM_AGREEMENT,
      {
        decision: "decline",
      },
    );
    expect(problemCode(declined)).toBe("consent_declined");
    expect(rackbeat().state.requestTokens.get(requestToken)!.status).toBe("accepted");
    expect(rackbeat().state.installed.has(`${VICTIM_ACCOUNT}:economic-integration`)).toBe(true);
    expect((await findByRackbeatAccount(String(VICTIM_ACCOUNT)))!.status).toBe("active");
    const live = [...rackbeat().state.tokens.values()].filter(
      (t) => t.accountId === VICTIM_ACCOUNT && t.plugin,
    );
    expect(live.some((t) => !t.revoked)).toBe(true);
  });

  it("an abandoned install gives back the request it took, once expired", async () => {
    const client = freshClient();
    const { token } = rackbeat().state.createRequestToken(VICTIM_ACCOUNT);
    const start = expectKind(
      await startFromRackbeat({
        requestToken: token,
        state: undefined,
        clientKey: client,
        acceptLanguage: null,
      }),
      "redirect",
    );
    const pending = (await findPendingByState(start.state!))!;
    await db()
      .update(schema.pendingInstalls)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.pendingInstalls.id, pending.id));
    expect(await sweepAbandonedInstalls()).toBeGreaterThanOrEqual(1);
    expect(rackbeat().state.requestTokens.get(token)!.status).toBe("cancelled");
    expect((await findPendingByState(start.state!))!.state).toBe("expired");
  });
});

describe("limits on anonymous work", () => {
  it(`the anonymous callback costs at most ${LIMITS.callback.max} e-conomic calls per address per minute`, async () => {
    const attacker = freshClient();
    const calls = economic().state.counters.get("requests.GET");
    const answers = [];
    for (let i = 0; i < LIMITS.callback.max + 5; i++)
      answers.push(
        await handleEconomicCallback({
          query: new URLSearchParams({ token: `random-${randomUUID()}` }),
          state: undefined,
          clientKey: attacker,
        }),
      );
    expect(economic().state.counters.get("requests.GET") - calls).toBe(LIMITS.callback.max);
    expect(answers.slice(LIMITS.callback.max).map(problemCode)).toEqual(Array(5).fill("rate_limited"));
    // Another address is not held back by this one.
    expect(
      problemCode(
        await handleEconomicCallback({
          query: new URLSearchParams({ token: "random" }),
          state: undefined,
          clientKey: freshClient(),
        }),
      ),
    ).toBe("invalid_grant");
  });

  it(`an address holds at most ${MAX_LIVE_PENDING_PER_CLIENT} live pending installs`, async () => {
    const client = freshClient();
    const steps = [];
    for (let i = 0; i < MAX_LIVE_PENDING_PER_CLIENT + 2; i++)
      steps.push(
        await startEconomicGrant({
          intent: "install",
          allowedInstallationIds: [],
          clientKey: client,
          acceptLanguage: null,
        }),
      );
    expect(steps.slice(0, MAX_LIVE_PENDING_PER_CLIENT).every((s) => s.kind === "redirect")).toBe(true);
    expect(steps.slice(MAX_LIVE_PENDING_PER_CLIENT).map(problemCode)).toEqual([
      "too_many_installs",
      "too_many_installs",
    ]);
    const [live] = await db()
      .select({ n: count() })
      .from(schema.pendingInstalls)
      .where(eq(schema.pendingInstalls.clientKey, client));
    expect(live.n).toBe(MAX_LIVE_PENDING_PER_CLIENT);
  });

  it(`install starts from Rackbeat are limited to ${LIMITS.installStart.max} per address per minute`, async () => {
    const client = freshClient();
    let limited = 0;
    for (let i = 0; i < LIMITS.installStart.max + 2; i++) {
      const step = await startFromRackbeat({
        requestToken: `unknown-${i}`,
        state: undefined,
        clientKey: client,
        acceptLanguage: null,
      });
      if (step.kind === "problem" && step.problem.code === "rate_limited") limited++;
    }
    expect(limited).toBe(2);
  });
});

describe("webhook hygiene", () => {
  const post = (headers: Record<string, string>, body?: BodyInit, init: RequestInit = {}) =>
    webhookRoute(
      new Request("http://app.test/api/webhooks/rackbeat", {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers },
        body,
        ...init,
        // Streams need half-duplex in Node's fetch.
        ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
      } as RequestInit),
    );
  const installed = async () => {
    expectKind(
      (await installThroughConsent(app().emulators, VICTIM_ACCOUNT, VICTIM_AGREEMENT)).step,
      "signed-in",
    );
    const hook = rackbeat().state.webhooks.find(
      (w) => w.accountId === VICTIM_ACCOUNT && w.event === "customer_invoice.booked",
    )!;
    return {
      hook,
      headers: {
        "Rackbeat-Webhook-Token": hook.token,
        "Rackbeat-Webhook-Event": hook.event,
        "Rackbeat-Account-Id": String(VICTIM_ACCOUNT),
      },
    };
  };
  const receipts = async () =>
    (
      await db()
        .select({ n: count() })
        .from(schema.webhookReceipts)
        .innerJoin(schema.installations, eq(schema.installations.id, schema.webhookReceipts.installationId))
        .where(eq(schema.installations.rackbeatAccountId, String(VICTIM_ACCOUNT)))
    )[0].n;

  it("stays at a flat memory under a 300 MB body, and refuses it with 413", async () => {
    const { headers } = await installed();
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    let sent = 0;
    const huge = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 300) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const before = process.memoryUsage();
    const res = await post(headers, huge);
    const after = process.memoryUsage();
    expect(res.status).toBe(413);
    // Reading stopped just past the 256 KB cap: a few chunks were pulled, never the 300 MB.
    expect(sent).toBeLessThan(5);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(32 * 1024 * 1024);
    // A declared length over the cap is refused before a byte is read.
    const declared = await post({ ...headers, "Content-Length": String(300 * 1024 * 1024) }, "{}");
    expect(declared.status).toBe(413);
  });

  it("checks the headers before the body, and answers malformed bodies with 400", async () => {
    const { headers } = await installed();
    let pulled = false;
    // highWaterMark 0: the stream is pulled only when someone reads it.
    const watched = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled = true;
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    expect((await post({}, watched)).status).toBe(400);
    expect(pulled).toBe(false);
    for (const body of ["null", "[]", "42", '"text"'])
      expect([body, (await post(headers, body)).status]).toEqual([body, 400]);
    expect((await post(headers, "{not json")).status).toBe(400);
    expect((await post(headers, JSON.stringify({ key: { nested: true } }))).status).toBe(400);
    expect((await post(headers, JSON.stringify({ key: "x".repeat(101) }))).status).toBe(400);
  });

  it("answers one uniform 401 for an unknown account, an unknown webhook and a wrong token", async () => {
    const { headers } = await installed();
    const body = JSON.stringify({ key: 1, key_name: "number" });
    const answers = await Promise.all(
      [
        { ...headers, "Rackbeat-Account-Id": "999999" },
        { ...headers, "Rackbeat-Webhook-Event": "no.such.event" },
        { ...headers, "Rackbeat-Webhook-Token": "x".repeat(32) },
      ].map(async (h) => {
        const res = await post(h, body);
        return [res.status, await res.json()];
      }),
    );
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify(answers[0])]));
    expect(answers[0][0]).toBe(401);
  });

  it("acknowledges a replayed delivery without new work or rows, and validates the key", async () => {
    const { headers } = await installed();
    const body = JSON.stringify({ key_name: "number", key: "1021" });
    const first = await post(headers, body);
    expect(first.status).toBe(202);
    const rows = await receipts();
    for (let i = 0; i < 3; i++) {
      const again = await post(headers, body);
      expect(again.status).toBe(200);
      expect((await again.json()).code).toBe("webhook.duplicate");
    }
    expect(await receipts()).toBe(rows);
    expect((await post(headers, JSON.stringify({ key_name: "number", key: "1022" }))).status).toBe(202);
    expect(await receipts()).toBe(rows + 1);
  });

  it("keeps receipts for a week: the outbox cron prunes older ones, off the delivery's path", async () => {
    const { headers } = await installed();
    expect((await post(headers, JSON.stringify({ key_name: "number", key: "5501" }))).status).toBe(202);
    const before = await receipts();
    await db()
      .update(schema.webhookReceipts)
      .set({ receivedAt: new Date(Date.now() - 8 * 24 * 3600 * 1000) })
      .where(
        eq(schema.webhookReceipts.bodyHash, sha256(JSON.stringify({ key_name: "number", key: "5501" }))),
      );
    expect(await pruneWebhookReceipts()).toBeGreaterThanOrEqual(1);
    expect(await receipts()).toBe(before - 1);
  });

  it("acknowledges a redelivered uninstall instead of refusing it forever", async () => {
    await installed();
    const uninstall = rackbeat().state.webhooks.find(
      (w) => w.accountId === VICTIM_ACCOUNT && w.event === "plugin.uninstalled",
    )!;
    const headers = {
      "Rackbeat-Webhook-Token": uninstall.token,
      "Rackbeat-Webhook-Event": uninstall.event,
      "Rackbeat-Account-Id": String(VICTIM_ACCOUNT),
    };
    const body = JSON.stringify({ key_name: "id", key: VICTIM_ACCOUNT });
    expect((await post(headers, body)).status).toBe(200);
    expect((await findByRackbeatAccount(String(VICTIM_ACCOUNT)))!.status).toBe("uninstalled");
    expect((await post(headers, body)).status).toBe(200);
    // No other event of an uninstalled installation is accepted.
    const [other] = await db()
      .select()
      .from(schema.rackbeatWebhooks)
      .innerJoin(schema.installations, eq(schema.installations.id, schema.rackbeatWebhooks.installationId))
      .where(
        and(
          eq(schema.installations.rackbeatAccountId, String(VICTIM_ACCOUNT)),
          eq(schema.rackbeatWebhooks.event, "customer_invoice.booked"),
        ),
      );
    expect(other.rackbeat_webhooks.token).toBeNull();
  });
});
