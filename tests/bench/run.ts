/**
 * `npm run bench`: figures for the emulators and for the app's install and settings work. Each time is
 * reported against a baseline measured in the same run — GET /self on the e-conomic emulator, the
 * cheapest call — so the ratios survive a slower or busier machine. API calls per operation are counted
 * too: e-conomic's fair use is 50,000 calls per agreement per day.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulators, sandboxEnv } from "../emulators";
import { economicHeaders } from "../helpers/headers";

type Result = { name: string; perOpMs: number; economicCalls?: number; rackbeatCalls?: number };

const emulators = await startEmulators({
  appUrl: "http://127.0.0.1:9",
  economic: { seed: { products: 5000 } },
});
Object.assign(process.env, sandboxEnv(emulators), {
  NODE_ENV: "test",
  APP_URL: "http://127.0.0.1:9",
  PGLITE_DIR: mkdtempSync(path.join(tmpdir(), "rbe-bench-")),
  ECONOMIC_APP_SECRET_TOKEN: "sandbox-app-secret-token",
  ECONOMIC_APP_PUBLIC_TOKEN: "sandbox-app-public-token",
});

const calls = () => {
  const e = emulators.economic.state.counters;
  const r = emulators.rackbeat.state.counters;
  return {
    e: e.get("requests.GET") + e.get("requests.POST") + e.get("requests.PUT"),
    r: r.get("requests.GET") + r.get("requests.POST") + r.get("requests.PUT") + r.get("requests.DELETE"),
  };
};

async function measure(
  name: string,
  ops: number,
  fn: (i: number) => Promise<void>,
  warmup = Math.min(20, ops),
): Promise<Result> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const before = calls();
  const started = performance.now();
  for (let i = 0; i < ops; i++) await fn(i);
  const perOpMs = (performance.now() - started) / ops;
  const after = calls();
  return {
    name,
    perOpMs,
    economicCalls: (after.e - before.e) / ops,
    rackbeatCalls: (after.r - before.r) / ops,
  };
}

try {
  const url = emulators.economic.server.url;
  const grant = emulators.economic.state.issueGrant(700001).token;
  const headers = economicHeaders(grant);
  const get = async (p: string) => {
    const res = await fetch(`${url}${p}`, { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${p}: ${res.status}`);
  };
  const draft = (i: number) => ({
    date: "2026-11-02",
    currency: "DKK",
    customer: { customerNumber: 1001 },
    layout: { layoutNumber: 19 },
    paymentTerms: { paymentTermsNumber: 1 },
    recipient: { name: "Bench", vatZone: { vatZoneNumber: 1 } },
    references: { other: `bench:${i}` },
    lines: Array.from({ length: 10 }, (_, l) => ({
      product: { productNumber: String(10001 + l) },
      description: "x",
      quantity: 1 + l,
      unitNetPrice: 9.95,
    })),
  });

  const baseline = await measure("GET /self (baseline)", 300, () => get("/self"));
  const results: Result[] = [
    baseline,
    await measure("emulator: GET /products?pagesize=1000 (1 page of 5000)", 40, () =>
      get("/products?pagesize=1000&skippages=2"),
    ),
    await measure("emulator: POST /invoices/drafts (10 lines)", 300, async (i) => {
      const res = await fetch(`${url}/invoices/drafts`, {
        method: "POST",
        headers,
        body: JSON.stringify(draft(i)),
      });
      await res.arrayBuffer();
    }),
    await measure("emulator: GET /invoices/drafts?filter=references.other", 200, (i) =>
      get(`/invoices/drafts?filter=${encodeURIComponent(`references.other$eq:bench:${i}`)}`),
    ),
  ];

  // The app's own work, on an embedded PGlite database.
  const { installViaRackbeat } = await import("../helpers/app");
  const { loadChoices } = await import("../../lib/settings/choices");
  const { findInstallation } = await import("../../lib/installations/repository");
  const { saveSettings } = await import("../../lib/settings/save");
  const { loadSettings } = await import("../../lib/settings/repository");
  const { defaultSettings } = await import("../../lib/settings/schema");
  const { getDb } = await import("../../db/client");
  await getDb();

  const accounts = Array.from({ length: 45 }, (_, i) => emulators.rackbeat.state.addAccount(`Bench ${i}`).id);
  const agreements = Array.from(
    { length: 45 },
    (_, i) => emulators.economic.state.addAgreement(`Bench ${i}`).agreementNumber,
  );
  let next = 0;
  let installationId = "";
  results.push(
    await measure(
      "app: complete install from Rackbeat (accept, self, 9 webhooks, settings URL, DB)",
      40,
      async () => {
        installationId = await installViaRackbeat(emulators, accounts[next], agreements[next]);
        next += 1;
      },
      5,
    ),
  );
  const installation = (await findInstallation(installationId))!;
  results.push(
    await measure(
      "app: load settings choices (both APIs, all lists)",
      50,
      async () => void (await loadChoices(installation)),
    ),
  );
  const values = defaultSettings();
  Object.assign(values.inventory, {
    enabled: true,
    dayBook: "3",
    inventoryAccount: "5500",
    offsetAccount: "1350",
  });
  results.push(
    await measure("app: save settings with live checks", 50, async (i) => {
      values.debtor.enabled = i % 2 === 0;
      const current = await loadSettings(installationId);
      const r = await saveSettings({
        installation: (await findInstallation(installationId))!,
        actor: "bench",
        values,
        expectedVersion: current.version,
        activate: false,
      });
      if (!r.ok) throw new Error(JSON.stringify(r));
    }),
  );

  // A booked customer invoice at steady state (customer and products known): queued, then transferred.
  const { runOutbox } = await import("../../lib/transfers/worker");
  const { enqueueTransfer } = await import("../../lib/transfers/enqueue");
  const { rackbeatTokenOf } = await import("../../lib/installations/repository");
  const { RackbeatClient } = await import("../../lib/rackbeat/client");
  const active = defaultSettings();
  active.debtor = { ...active.debtor, enabled: true, postInvoices: true, useActualQuantity: true };
  active.layouts = { "19": "1", "20": "2" };
  const activated = await saveSettings({
    installation: (await findInstallation(installationId))!,
    actor: "bench",
    values: active,
    expectedVersion: (await loadSettings(installationId)).version,
    activate: true,
  });
  if (!activated.ok) throw new Error(JSON.stringify(activated));
  const rb = new RackbeatClient(rackbeatTokenOf((await findInstallation(installationId))!)!);
  const account = emulators.rackbeat.state.account(accounts[next - 1]);
  const customer = [...account.customers.values()].find((c) => c.vat_zone === "domestic")!;
  const product = [...account.products.values()][0];
  const db = await getDb();
  results.push(
    await measure("app: transfer a booked customer invoice, steady state (draft + booking)", 50, async () => {
      const { data } = await rb.request<{ customer_invoice: { number: number } }>("/customer-invoices", {
        method: "POST",
        body: {
          customer_id: customer.number,
          lines: [{ child_id: product.number, quantity: 2, line_price: 12.5 }],
        },
      });
      const n = data.customer_invoice.number;
      await rb.request(`/customer-invoices/${n}/book`, { method: "POST", body: { suppress_webhooks: true } });
      await enqueueTransfer(db, {
        installationId,
        kind: "customer_invoice",
        sourceId: String(n),
        idempotencyKey: `customer_invoice:${n}`,
      });
      const done = await runOutbox({ budgetMs: 10_000, installationId });
      if (done.succeeded !== 1) throw new Error(`transfer did not succeed: ${JSON.stringify(done)}`);
    }),
  );

  console.log("\nFigures (ratio = time per operation / baseline's; calls = API requests per operation)\n");
  for (const r of results) {
    const callText =
      r === baseline || r.name.startsWith("emulator")
        ? ""
        : `   e-conomic ${r.economicCalls!.toFixed(1)} · Rackbeat ${r.rackbeatCalls!.toFixed(1)} calls`;
    console.log(
      `${r.name.padEnd(84)} ${r.perOpMs.toFixed(2).padStart(8)} ms  ×${(r.perOpMs / baseline.perOpMs).toFixed(1).padStart(6)}${callText}`,
    );
  }
} finally {
  await emulators.close();
  const { closeDb } = await import("../../db/client");
  await closeDb();
}
