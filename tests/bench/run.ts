/**
 * `npm run bench`: figures for the emulators (and, as later work lands, the transfer pipeline).
 * Each figure is reported against a baseline measured in the same run — GET /self, the cheapest call —
 * so the ratios survive a slower or busier machine.
 */
import { startEmulators } from "../emulators";
import { economicHeaders } from "../helpers/headers";

type Result = { name: string; perOpMs: number };

async function measure(name: string, ops: number, fn: (i: number) => Promise<void>): Promise<Result> {
  for (let i = 0; i < Math.min(20, ops); i++) await fn(i); // warm-up
  const started = performance.now();
  for (let i = 0; i < ops; i++) await fn(i);
  return { name, perOpMs: (performance.now() - started) / ops };
}

const emulators = await startEmulators({ appUrl: "http://localhost:3999", economic: { seed: { products: 5000 } } });
try {
  const url = emulators.economic.server.url;
  const grant = emulators.economic.state.issueGrant(700001).token;
  const headers = economicHeaders(grant);
  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`, { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
  };
  const draft = (i: number) => ({
    date: "2026-11-02", currency: "DKK", customer: { customerNumber: 1001 }, layout: { layoutNumber: 19 }, paymentTerms: { paymentTermsNumber: 1 },
    recipient: { name: "Bench", vatZone: { vatZoneNumber: 1 } }, references: { other: `bench:${i}` },
    lines: Array.from({ length: 10 }, (_, l) => ({ product: { productNumber: String(10001 + l) }, description: "x", quantity: 1 + l, unitNetPrice: 9.95 })),
  });

  const baseline = await measure("GET /self (baseline)", 300, () => get("/self"));
  const results = [
    baseline,
    await measure("GET /products?pagesize=1000 (1 page of 5000)", 40, () => get("/products?pagesize=1000&skippages=2")),
    await measure("POST /invoices/drafts (10 lines)", 300, async (i) => {
      const res = await fetch(`${url}/invoices/drafts`, { method: "POST", headers, body: JSON.stringify(draft(i)) });
      await res.arrayBuffer();
    }),
    await measure("GET /invoices/drafts?filter=references.other (of 320 drafts)", 200, (i) => get(`/invoices/drafts?filter=${encodeURIComponent(`references.other$eq:bench:${i}`)}`)),
  ];
  console.log("\nEmulator figures (ratio = time per operation / baseline's)\n");
  for (const r of results) console.log(`${r.name.padEnd(62)} ${r.perOpMs.toFixed(3).padStart(9)} ms   ×${(r.perOpMs / baseline.perOpMs).toFixed(2)}`);
} finally {
  await emulators.close();
}
