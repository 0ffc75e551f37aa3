import { sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { POST as webhookRoute } from "@/app/api/webhooks/rackbeat/route";
import { connectRackbeatWithApiKey } from "@/lib/installations/api-key";
import { answerConsent } from "@/lib/installations/consent";
import { handleEconomicCallback, startFromRackbeat } from "@/lib/installations/flows";
import { findInstallation } from "@/lib/installations/repository";
import { loadSettings } from "@/lib/settings/repository";
import { saveSettings } from "@/lib/settings/save";
import { defaultSettings, flatten } from "@/lib/settings/schema";
import { requestManualInvoiceTransfer } from "@/lib/transfers/manual";
import { listTransfers, transferFilterSchema } from "@/lib/transfers/queries";
import { retryFailedTransfers } from "@/lib/transfers/retry";
import { accessInstallation } from "@/lib/auth/access";
import { installViaRackbeat, withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";
import { demoMappings } from "@/tests/helpers/settings";

// No session (Next's request context is absent here): access rests on the launch token alone.
vi.mock("@/lib/auth", async (original) => ({
  ...(await original<typeof import("@/lib/auth")>()),
  auth: vi.fn(async () => null),
}));

/**
 * Hostile input, generated: the webhook route, the install callbacks and the use cases behind every
 * server action get malformed, oversized and adversarial values. None may answer 500 or throw, and none
 * may change a row. (Rate-limit counters are excluded: counting attempts is their job.)
 */
const db = withTestDb();
const app = withApp();
let installationId: string;
let accountId: number;

const TABLES = [
  "installations",
  "settings",
  "settings_versions",
  "pending_installs",
  "used_grants",
  "rackbeat_webhooks",
  "webhook_receipts",
  "transfers",
  "transfer_attempts",
  "audit_log",
  "economic_records",
];
/** A fingerprint of every row of the tables that matter (count and hash of their text form). */
async function fingerprint(): Promise<string> {
  const parts: string[] = [];
  for (const table of TABLES) {
    const rows = (await db().execute(
      sql.raw(
        `select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${table} t`,
      ),
    )) as unknown;
    const [row] = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as {
      n: number;
      h: string;
    }[];
    parts.push(`${table}:${row.n}:${row.h}`);
  }
  return parts.join(" ");
}

beforeAll(async () => {
  const rb = app().emulators.rackbeat.state.addAccount("Fuzz ApS");
  const ec = app().emulators.economic.state.addAgreement("Fuzz ApS");
  accountId = rb.id;
  installationId = await installViaRackbeat(app().emulators, accountId, ec.agreementNumber);
  const values = defaultSettings();
  values.debtor.enabled = true;
  values.layouts = { "19": "1", "20": "2" };
  values.mappings = demoMappings();
  const saved = await saveSettings({
    installation: (await findInstallation(installationId))!,
    actor: "fuzz",
    values,
    expectedVersion: (await loadSettings(installationId)).version,
    activate: true,
  });
  if (!saved.ok) throw new Error(JSON.stringify(saved));
});

const hostileText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.constantFrom(
    "",
    " ",
    "null",
    "undefined",
    "0",
    "-1",
    "1e309",
    "../../etc/passwd",
    "' or 1=1 --",
    "<script>alert(1)</script>",
    "%00",
    "\u0000",
    "$eq:",
    "a".repeat(5000),
  ),
);

describe("fuzzing: never a 500, never a changed row", () => {
  it("the webhook route, with any headers and any body (the right token with a body that names nothing valid)", async () => {
    const hook = app().emulators.rackbeat.state.webhooks.find(
      (w) => w.accountId === accountId && w.event === "customer_invoice.booked",
    )!;
    const before = await fingerprint();
    const badBody = fc.oneof(
      hostileText,
      fc
        .jsonValue()
        .map((v) => JSON.stringify(v))
        .filter((s) => !/^\{/.test(s)),
      fc
        .record({
          key: fc.oneof(
            fc.object(),
            fc.array(fc.integer()),
            fc.integer({ max: -1 }),
            fc.constant(""),
            fc.string({ minLength: 101, maxLength: 200 }),
            fc.double({ noInteger: true }),
          ),
        })
        .map((o) => JSON.stringify(o)),
      fc
        .record({ event: fc.string({ minLength: 1 }).filter((e) => e !== hook.event), key: fc.constant("1") })
        .map((o) => JSON.stringify(o)),
      fc.constant(`{"key":"1",${'"x":1,'.repeat(60_000)}"y":1}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          token: fc.oneof(hostileText, fc.constant(hook.token)),
          event: fc.oneof(hostileText, fc.constant(hook.event)),
          account: fc.oneof(hostileText, fc.constant(String(accountId)), fc.integer().map(String)),
          body: badBody,
        }),
        async ({ token, event, account, body }) => {
          const headers = new Headers();
          for (const [name, value] of [
            ["Rackbeat-Webhook-Token", token],
            ["Rackbeat-Webhook-Event", event],
            ["Rackbeat-Account-Id", account],
          ])
            try {
              headers.set(name, value);
            } catch {
              // A value no HTTP client could send (control characters): left out, as it would be.
            }
          const res = await webhookRoute(
            new Request("http://app.test/api/webhooks/rackbeat", { method: "POST", headers, body }),
          );
          expect(res.status).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(500);
          if (res.status < 300) {
            // Only the right token, event and account with a body naming nothing is acknowledged (a bare delivery).
            expect([token, event, account]).toEqual([hook.token, hook.event, String(accountId)]);
          }
        },
      ),
      { numRuns: 150 },
    );
    // Acknowledged bare deliveries leave a receipt (that is how a replay is recognised) but no transfer.
    const after = await fingerprint();
    const strip = (f: string) => f.replace(/webhook_receipts:\S+ /, "");
    expect(strip(after)).toBe(strip(before));
  });

  it("the install entry points and callbacks, with any token, state and query", async () => {
    const before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          token: fc.option(hostileText),
          state: fc.option(hostileText, { nil: undefined }),
          query: fc.dictionary(
            fc.constantFrom("token", "agreementGrantToken", "state", "error", "x"),
            hostileText,
          ),
          csrf: hostileText,
          decision: fc.constantFrom("confirm" as const, "decline" as const),
          apiKey: hostileText,
        }),
        async (input) => {
          const clientKey = `fuzz-${Math.random()}`;
          const fromRackbeat = await startFromRackbeat({
            requestToken: input.token,
            state: input.state,
            clientKey,
            acceptLanguage: input.csrf,
          });
          expect(fromRackbeat.kind).toBe("problem");
          const callback = await handleEconomicCallback({
            query: new URLSearchParams(input.query),
            state: input.state,
            clientKey,
          });
          expect(callback.kind).toBe("problem");
          const consent = await answerConsent({
            state: input.state,
            csrf: input.csrf,
            decision: input.decision,
            clientKey,
          });
          expect(consent.kind).toBe("problem");
          const apiKey = await connectRackbeatWithApiKey({
            state: input.state,
            apiKey: input.apiKey,
            clientKey,
          });
          expect(apiKey.ok).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
    expect(await fingerprint()).toBe(before);
  });

  it("the settings save, the manual transfer and Retry, with any values", async () => {
    const installation = (await findInstallation(installationId))!;
    const before = await fingerprint();
    const paths = Object.keys(flatten(defaultSettings()));
    const brokenSettings = fc.oneof(
      fc.anything(),
      fc
        .record({
          path: fc.constantFrom(...paths),
          value: fc.oneof(hostileText, fc.integer(), fc.object(), fc.constant(null)),
        })
        .map(({ path, value }) => {
          const values = structuredClone(defaultSettings()) as unknown as Record<
            string,
            Record<string, unknown>
          >;
          const [head, ...rest] = path.split(".");
          if (rest.length) values[head][rest.join(".")] = value;
          else (values as Record<string, unknown>)[head] = value;
          return values;
        }),
    );
    await fc.assert(
      fc.asyncProperty(
        brokenSettings,
        fc.oneof(fc.integer(), fc.constant(Number.NaN), fc.constant(-1)),
        hostileText,
        fc.oneof(fc.integer(), fc.constant(Number.MAX_SAFE_INTEGER)),
        async (values, expectedVersion, invoiceNumber, transferId) => {
          const saved = await saveSettings({
            installation,
            actor: "fuzz",
            values,
            expectedVersion,
            activate: false,
          });
          expect(saved.ok).toBe(false);
          if (!saved.ok) expect([400, 409]).toContain(saved.status);
          const manual = await requestManualInvoiceTransfer({ installation, invoiceNumber, actor: "fuzz" });
          expect(manual.ok).toBe(false);
          expect((await retryFailedTransfers({ installationId, transferId, actor: "fuzz" })).count).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
    expect(await fingerprint()).toBe(before);
  });

  it("the transfers page's query string and the access check, with any values", async () => {
    const before = await fingerprint();
    const queryValue = fc.oneof(
      hostileText,
      fc.constantFrom("2026-13-45", "9999-99-99", "0000-00-00", "2026-02-30", "\u0000", "%00", "1e309"),
      fc.array(fc.string(), { maxLength: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            kind: queryValue,
            status: queryValue,
            from: queryValue,
            to: queryValue,
            number: queryValue,
            page: queryValue,
          },
          { requiredKeys: [] },
        ),
        queryValue,
        queryValue,
        async (search, id, lt) => {
          // Whatever the address says, the page lists (or filters nothing) and never throws.
          const filters = transferFilterSchema.parse(search);
          await listTransfers(installationId, filters);
          // A stranger's id or token opens nothing; a malformed one is no error either.
          expect(await accessInstallation(id, lt)).toBeUndefined();
        },
      ),
      { numRuns: 80 },
    );
    expect(await fingerprint()).toBe(before);
  });
});
