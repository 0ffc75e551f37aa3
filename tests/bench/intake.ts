/**
 * The production build under webhook load (autocannon at a fixed rate), then the latency of the
 * webhook path alone: booked in the Rackbeat emulator → booked in the e-conomic emulator, no cron.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Emulators } from "../emulators";
import { activateDebtor, bookedInvoices, freshInstallation, percentile, sleep } from "./shared";

const nextBin = path.join("node_modules", "next", "dist", "bin", "next");

/** Peak resident memory (VmHWM) of a process and its children, in MB. */
function peakMemoryMb(pid: number): number {
  const read = (p: number) => {
    try {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1];
      return kb ? Number(kb) / 1024 : 0;
    } catch {
      return 0;
    }
  };
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    children = [];
  }
  return Math.max(read(pid), ...children.map(read));
}

export async function startProductionServer(port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  if (!existsSync(path.join(".next", "BUILD_ID"))) {
    console.log("  (no production build yet: running `next build` once)");
    execFileSync(process.execPath, [nextBin, "build"], {
      stdio: "inherit",
      env: { ...env, NODE_ENV: "production" },
    });
  }
  // BENCH_PROFILE=<dir>: a CPU profile of the web process, written when it stops (where the time goes).
  const profile = process.env.BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const child = spawn(process.execPath, [...profile, nextBin, "start", "--port", String(port)], {
    env: { ...env, NODE_ENV: "production", LOG_LEVEL: "error" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill();
  throw new Error("the production server did not start");
}

/**
 * `processing`: with the fast path working through what arrives (the production set-up); without, the
 * installation is not activated, so each delivery is checked and recorded but queues nothing: the
 * intake's own cost, with no transfer work competing for the same two cores.
 */
export async function webhookIntake(
  emulators: Emulators,
  appUrl: string,
  server: ChildProcess,
  rate: number,
  seconds: number,
  processing = true,
) {
  const { default: autocannon } = await import("autocannon");
  const { getDb, schema } = await import("../../db/client");
  const { and, eq, sql } = await import("drizzle-orm");
  const w = await freshInstallation(emulators, processing ? "Bench intake" : "Bench intake alone");
  if (processing) await activateDebtor(w.installationId);
  const numbers = bookedInvoices(
    emulators,
    w.accountId,
    Math.ceil(rate * seconds * 1.2),
    w.customer,
    w.products.slice(0, 2),
  );
  const hook = emulators.rackbeat.state.webhooks.find(
    (h) => h.accountId === w.accountId && h.event === "customer_invoice.booked",
  )!;
  let next = 0;
  const answered = new Set<string>();
  const result = await autocannon({
    url: `${appUrl}/api/webhooks/rackbeat`,
    connections: 32,
    overallRate: rate,
    duration: seconds,
    requests: [
      {
        method: "POST",
        // Each delivery names an invoice of its own; the connection's context remembers which.
        setupRequest: (req, context) => {
          const key = String(numbers[next++ % numbers.length]);
          (context as { key?: string }).key = key;
          return {
            ...req,
            headers: {
              "content-type": "application/json",
              "rackbeat-webhook-token": hook.token,
              "rackbeat-webhook-event": hook.event,
              "rackbeat-account-id": String(w.accountId),
            },
            body: JSON.stringify({ key_name: "number", key }),
          };
        },
        onResponse: (status, _body, context) => {
          if (status >= 200 && status < 300) answered.add((context as { key: string }).key);
        },
      },
    ],
  });
  const db = await getDb();
  const mine = and(
    eq(schema.transfers.installationId, w.installationId),
    eq(schema.transfers.kind, "customer_invoice"),
  );
  const queued = await db.select({ key: schema.transfers.sourceId }).from(schema.transfers).where(mine);
  const queuedKeys = new Set(queued.map((q) => q.key));
  const lost = [...answered].filter((k) => !queuedKeys.has(k)).length;
  // Let the fast path finish what the burst queued, so the latency run starts from quiet.
  for (let i = 0; i < 600; i++) {
    const [{ left }] = await db
      .select({ left: sql<number>`count(*)::int` })
      .from(schema.transfers)
      .where(and(mine, sql`status in ('pending', 'running')`));
    if (!left) break;
    await sleep(200);
  }
  const [{ succeeded }] = await db
    .select({ succeeded: sql<number>`count(*)::int` })
    .from(schema.transfers)
    .where(and(mine, eq(schema.transfers.status, "succeeded")));
  return {
    rate,
    seconds,
    sent: result.requests.total,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    answered: answered.size,
    rows: queued.length,
    distinctRows: queuedKeys.size,
    lost,
    succeeded,
    webPeakMb: peakMemoryMb(server.pid!),
  };
}

/** Booked in Rackbeat (its webhook fires) → booked in e-conomic, one invoice at a time, no cron. */
export async function webhookLatency(emulators: Emulators, count: number) {
  const { RackbeatClient } = await import("../../lib/rackbeat/client");
  const { findInstallation, rackbeatTokenOf } = await import("../../lib/installations/repository");
  const w = await freshInstallation(emulators, "Bench latency");
  await activateDebtor(w.installationId);
  const rb = new RackbeatClient(rackbeatTokenOf((await findInstallation(w.installationId))!)!);
  const agreement = emulators.economic.state.agreement(w.agreementNumber);
  const booked = (n: number) =>
    [...agreement.booked.values()].some(
      (b) => (b.references as { other?: string } | undefined)?.other === `rackbeat-invoice:${n}`,
    );
  const latencies: number[] = [];
  let missing = 0;
  for (let i = 0; i < count; i++) {
    const { data } = await rb.request<{ customer_invoice: { number: number } }>("/customer-invoices", {
      method: "POST",
      body: { customer_id: w.customer, lines: [{ child_id: w.products[0], quantity: 1, line_price: 10 }] },
    });
    const n = data.customer_invoice.number;
    const started = performance.now();
    await rb.request(`/customer-invoices/${n}/book`, { method: "POST", body: {} });
    while (!booked(n) && performance.now() - started < 15_000) await sleep(5);
    if (booked(n)) latencies.push(performance.now() - started);
    else missing++;
    await sleep(100);
  }
  return { count, p50: percentile(latencies, 50), p95: percentile(latencies, 95), missing };
}
