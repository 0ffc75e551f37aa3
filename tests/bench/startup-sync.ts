/**
 * Start-up synchronization against a Rackbeat that enforces a request rate (a token bucket answering
 * 429 with Retry-After): the rate achieved, against the rate allowed.
 */
import type { Emulators } from "../emulators";
import { freshInstallation, rackbeatCalls } from "./shared";

export async function startupSyncRate(emulators: Emulators, products: number, perSecond: number) {
  const { findInstallation } = await import("../../lib/installations/repository");
  const { saveSettings } = await import("../../lib/settings/save");
  const { loadSettings } = await import("../../lib/settings/repository");
  const { defaultSettings } = await import("../../lib/settings/schema");
  const { runOutbox } = await import("../../lib/transfers/worker");
  const { startupSyncStatus } = await import("../../lib/sync/status");
  const { installationId } = await freshInstallation(emulators, "Bench start-up", {
    products,
    customers: 0,
    suppliers: 0,
  });
  const saved = await saveSettings({
    installation: (await findInstallation(installationId))!,
    actor: "bench",
    values: { ...defaultSettings(), startupSync: true },
    expectedVersion: (await loadSettings(installationId)).version,
    activate: false,
  });
  if (!saved.ok) throw new Error(JSON.stringify(saved));
  const bucket = { perSecond, burst: perSecond };
  emulators.rackbeat.state.faults.requestRate = bucket;
  const calls = rackbeatCalls(emulators);
  const started = performance.now();
  // Cron-length runs back to back; a run that finds the sync backing off waits for it (that time counts).
  while (performance.now() - started < 600_000) {
    const run = await runOutbox({ budgetMs: 45_000, installationId, kinds: ["startup_sync"] });
    if ((await startupSyncStatus(installationId)).state === "succeeded") break;
    if (!run.claimed) await new Promise((r) => setTimeout(r, 1000));
  }
  const seconds = (performance.now() - started) / 1000;
  emulators.rackbeat.state.faults.requestRate = undefined;
  const served = rackbeatCalls(emulators) - calls; // 429s are answered before the API counts a request
  const status = await startupSyncStatus(installationId);
  const productRow = status.entities.find((e) => e.entity === "products")!;
  return {
    products,
    allowedPerSecond: perSecond,
    seconds,
    served,
    // What the bucket can serve in that time: its starting burst plus the refill.
    allowed: Math.floor(bucket.burst + perSecond * seconds),
    limited: (bucket as { limited?: number }).limited ?? 0,
    created: productRow.created,
    state: status.state,
  };
}
