/**
 * `npm run bench`: figures for the emulators and the app. Times are reported against a baseline
 * measured in the same run (GET /self on the e-conomic emulator, the cheapest call), rates against the
 * limit they are up against, and API calls per operation are counted: e-conomic's fair use is 50,000
 * calls per agreement per day. With DATABASE_URL (a Postgres server) the app's database is a throwaway
 * Postgres database and every section runs; without it, PGlite, and the sections that need a second
 * process on the same database (pg-boss, the production server) say they were skipped.
 * BENCH_QUICK=1 runs smaller sizes (for a quick look, not for the README).
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { startEmulators, sandboxEnv } from "../emulators";
import { economicHeaders } from "../helpers/headers";
import { benchDatabase } from "./database";
import { economicCalls, rackbeatCalls } from "./shared";

type Result = { name: string; perOpMs: number; economicCalls?: number; rackbeatCalls?: number };

const quick = process.env.BENCH_QUICK === "1";
const database = await benchDatabase();
const appPort = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});
const appUrl = `http://127.0.0.1:${appPort}`;
const emulators = await startEmulators({
  appUrl,
  economic: { seed: { products: 5000 } },
});
const secrets = {
  AUTH_SECRET: randomBytes(32).toString("base64"),
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  CRON_SECRET: randomBytes(24).toString("hex"),
};
Object.assign(process.env, sandboxEnv(emulators), secrets, {
  NODE_ENV: "test",
  LOG_LEVEL: "error",
  APP_URL: appUrl,
  ECONOMIC_APP_SECRET_TOKEN: "sandbox-app-secret-token",
  ECONOMIC_APP_PUBLIC_TOKEN: "sandbox-app-public-token",
});
const figures: string[] = [];
/** Prints a figure as soon as it is measured, and keeps it for the summary at the end. */
const report = (title: string, lines: string[]) => {
  const text = [`\n## ${title}`, ...lines.map((l) => `  ${l}`)].join("\n");
  console.log(text);
  figures.push(text);
};

const calls = () => ({ e: economicCalls(emulators), r: rackbeatCalls(emulators) });

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
  const { sql: sqlTag } = await import("drizzle-orm");
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
      // 50 saves a minute is over the tenant limit (20): the bench measures the work, not the limit.
      await (await getDb()).execute(sqlTag`delete from rate_limits`);
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
  const { enqueue } = await import("../../lib/transfers/queue");
  const { customerInvoice } = await import("../../lib/transfers/kinds/customer-invoice");
  const { rackbeatTokenOf } = await import("../../lib/installations/repository");
  const { RackbeatClient } = await import("../../lib/rackbeat/client");
  const active = defaultSettings();
  active.debtor = { ...active.debtor, enabled: true, postInvoices: true, useActualQuantity: true };
  active.layouts = { "19": "1", "20": "2" };
  active.mappings = (await import("../helpers/settings")).demoMappings();
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
      await enqueue(db, customerInvoice, { installationId, sourceId: String(n) });
      const done = await runOutbox({ budgetMs: 10_000, installationId });
      if (done.succeeded !== 1) throw new Error(`transfer did not succeed: ${JSON.stringify(done)}`);
    }),
  );

  // Orders from e-conomic: the five-minute scan over a working set of 5,000 open (sent) orders.
  {
    const { scanInstallation } = await import("../../lib/orders/scan");
    const { makeOrder } = await import("../emulators/economic/routes-orders");
    const orderAgreement = emulators.economic.state.agreement(agreements[next - 1]);
    const orderCustomer = [...orderAgreement.customers.keys()][0];
    const orderProduct = [...orderAgreement.products.keys()][0];
    for (let i = 0; i < 5000; i++)
      makeOrder(
        orderAgreement,
        {
          date: "2026-12-01",
          currency: "DKK",
          customer: { customerNumber: orderCustomer },
          layout: { layoutNumber: 19 },
          paymentTerms: { paymentTermsNumber: 2 },
          recipient: { name: "Modtager", vatZone: { vatZoneNumber: 1 } },
          lines: [
            { product: { productNumber: orderProduct }, description: "Vare", quantity: 1, unitNetPrice: 10 },
          ],
        },
        "sent",
      );
    const installation = (await findInstallation(installationId))!;
    const version = (await loadSettings(installationId)).version;
    results.push(
      await measure(
        "app: order scan, first run over 5,000 sent orders (reads all, queues 5,000)",
        1,
        async () => {
          await scanInstallation(installation, version);
        },
        0,
      ),
      await measure(
        "app: order scan, steady run over 5,000 sent orders (nothing new)",
        10,
        async () => {
          await scanInstallation(installation, version);
        },
        0,
      ),
    );
  }

  // Books match: a month of 2,000 booked invoices on each side (README "Books match", the call budget).
  {
    const { booksMatch } = await import("../../lib/report");
    const { seedMatchingMonth } = await import("../helpers/matching-month");
    seedMatchingMonth(account, emulators.economic.state.agreement(agreements[next - 1]), {
      month: "2026-08",
      count: 2000,
      customer: customer.number,
      product: product.number,
      firstBookedNumber: 800000,
    });
    const reportInstallation = (await findInstallation(installationId))!;
    results.push(
      await measure(
        "app: books-match report, a month of 2,000 invoices on each side",
        5,
        async () => {
          const outcome = await booksMatch(reportInstallation, { from: "2026-08-01", to: "2026-08-31" });
          if (!outcome.ok || outcome.report.differences !== 0) throw new Error(JSON.stringify(outcome));
        },
        1,
      ),
    );
  }

  report(
    "Operations (ratio = time per operation / the baseline's; calls = API requests per operation)",
    results.map((r) => {
      const callText =
        r === baseline || r.name.startsWith("emulator")
          ? ""
          : `   e-conomic ${r.economicCalls!.toFixed(1)} · Rackbeat ${r.rackbeatCalls!.toFixed(1)} calls`;
      return `${r.name.padEnd(84)} ${r.perOpMs.toFixed(2).padStart(8)} ms  ×${(r.perOpMs / baseline.perOpMs).toFixed(1).padStart(6)}${callText}`;
    }),
  );
  await sections();
} finally {
  await emulators.close();
  const { closeDb } = await import("../../db/client");
  await closeDb();
  await database.drop();
}
console.log(`\n# Summary (${database.url ? "Postgres" : "PGlite"}, ${new Date().toISOString()})`);
for (const f of figures) console.log(f);

async function sections() {
  // BENCH_ONLY=calls,drain,fairness,overhead,sync,intake runs only those (for working on one figure).
  const only = process.env.BENCH_ONLY?.split(",");
  const want = (name: string) => !only || only.includes(name);
  const { callsPerInvoice, backlogDrain, fairness } = await import("./transfers");
  if (want("calls")) {
    const calls = await callsPerInvoice(emulators);
    report("e-conomic calls per customer invoice (counted by the emulator over 100 invoices, booked)", [
      `steady state (customer and products known): ${calls.steady.economic.toFixed(2)} e-conomic calls (floor 2: draft + booking; a draft alone: 1), ${calls.steady.rackbeat.toFixed(1)} Rackbeat reads (invoice, customer, products)`,
      `first contact (new customer, two new products): ${calls.first.economic.toFixed(2)} e-conomic calls = draft + booking + per record one create (POST) (target ≤ 5)`,
      `first contact with records e-conomic already has (made there by hand): ${calls.existing.economic.toFixed(2)} e-conomic calls = draft + booking + per record a refused create, a read and an update of the merged record`,
    ]);
  }
  if (want("drain")) {
    const drain = await backlogDrain(emulators, quick ? 300 : 2000, 150);
    report(`Backlog drain (${drain.invoices} booked invoices, ${drain.latencyMs} ms per e-conomic call)`, [
      `${drain.perSecond.toFixed(2)} invoices/s in ${drain.seconds.toFixed(1)} s (${drain.runs} cron-length runs), ${drain.callsPerInvoice.toFixed(2)} e-conomic calls each`,
      `limit = concurrency ${drain.concurrency} ÷ (${drain.callsPerInvoice.toFixed(2)} calls × ${drain.latencyMs / 1000} s) = ${drain.limit.toFixed(2)}/s → ${(drain.perSecond / drain.limit).toFixed(2)} of the limit (target ≥ 0.85)`,
    ]);
  }
  if (want("fairness")) {
    const fair = await fairness(emulators, quick ? 2000 : 10_000, 150);
    report(
      `Fairness (one installation with ${fair.backlog} due invoices, another with one; 150 ms per e-conomic call)`,
      [
        fair.inFirstRun
          ? `the single invoice was booked in e-conomic ${fair.waitedSeconds.toFixed(2)} s into the first cron run (target: within one run)`
          : "the single invoice was NOT transferred within the first 15 s of the run",
      ],
    );
  }
  if (!want("overhead")) {
    // not asked for
  } else if (database.url) {
    const { outboxOverhead } = await import("./outbox-overhead");
    const o = await outboxOverhead(database.url, quick ? 2000 : 5000, 4);
    report(
      `Outbox overhead (${o.jobs} no-op jobs × ${o.rounds} alternating rounds, ${o.workers} workers, batches of 16, same Postgres)`,
      [
        `this outbox ${o.oursPerSecond.toFixed(0)} claims+completions/s, pg-boss v12 ${o.pgBossPerSecond.toFixed(0)}/s (medians) → ${o.ratio.toFixed(2)}× pg-boss, median of the rounds' ratios (target ≥ 1.0)`,
      ],
    );
  } else
    report("Outbox overhead against pg-boss", ["skipped: needs DATABASE_URL (pg-boss runs on Postgres)"]);

  if (want("sync")) {
    const { startupSyncRate } = await import("./startup-sync");
    const sync = await startupSyncRate(emulators, quick ? 2000 : 10_000, 200);
    report(
      `Start-up synchronization (${sync.products} products; Rackbeat allows ${sync.allowedPerSecond} requests/s, 429 beyond)`,
      [
        `${sync.served} requests served in ${sync.seconds.toFixed(1)} s (${sync.limited} answered 429); the bucket allowed ${sync.allowed} (a full bucket of ${sync.allowedPerSecond} + ${sync.allowedPerSecond}/s) → ${(sync.served / sync.allowed).toFixed(2)} of the allowed rate (target ≥ 0.9); ${sync.created} products created, state ${sync.state}`,
      ],
    );
  }
  if (!want("intake")) {
    // not asked for
  } else if (database.url) {
    const { startProductionServer, webhookIntake, webhookLatency } = await import("./intake");
    const server = await startProductionServer(appPort, { ...process.env });
    try {
      const intake = await webhookIntake(emulators, appUrl, server, 200, quick ? 10 : 30);
      report(
        `Webhook intake (production build, ${intake.rate} deliveries/s for ${intake.seconds} s, autocannon)`,
        [
          `${intake.sent} sent, ${intake.ok} answered 2xx, ${intake.non2xx} other, ${intake.errors} errors/timeouts; p50 ${intake.p50} ms, p99 ${intake.p99} ms (target < 100 ms)`,
          `${intake.answered} invoices acknowledged → ${intake.rows} transfers queued for ${intake.distinctRows} distinct invoices: ${intake.rows - intake.distinctRows} doubled, ${intake.lost} lost; ${intake.succeeded} in e-conomic when the drain wait ended`,
          `web process peak memory (VmHWM): ${intake.webPeakMb.toFixed(0)} MB`,
        ],
      );
      const alone = await webhookIntake(emulators, appUrl, server, 200, quick ? 10 : 30, false);
      report("Webhook intake alone (same load; installation not activated, so nothing is processed)", [
        `${alone.sent} sent, ${alone.ok} answered 2xx; p50 ${alone.p50} ms, p99 ${alone.p99} ms: the intake's own cost, without transfer work on the same cores`,
      ]);
      const latency = await webhookLatency(emulators, quick ? 15 : 40);
      report(
        `Latency, webhook path alone (no cron): booked in Rackbeat → booked in e-conomic, ${latency.count} invoices one at a time`,
        [
          `p50 ${latency.p50.toFixed(0)} ms, p95 ${latency.p95.toFixed(0)} ms (target p95 < 5 s); ${latency.missing} not there within 15 s`,
        ],
      );
    } finally {
      server.kill("SIGTERM");
    }
  } else
    report("Webhook intake and latency", [
      "skipped: needs DATABASE_URL (the production server shares the database)",
    ]);

  report("Memory", [
    `bench process peak RSS (emulators + in-process worker): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  ]);
}
