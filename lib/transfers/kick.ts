import type { TransferKind } from "./registry";
import { loggedAndIgnored } from "@/lib/log";
import { runOutbox } from "./worker";

type Run = { promise: Promise<void>; again: boolean };
const running = new Map<string, Run>();

/**
 * Starts an installation's due transfers now, in this process, once: a burst of webhooks for one
 * installation (hundreds a second) becomes one worker run plus at most one more for what arrived while
 * it ran, not hundreds of runs competing for the same rows. The cron remains the safety net. Returns the
 * run's promise, for waitUntil.
 */
export function kickInstallation(
  installationId: string,
  options: { budgetMs?: number; kinds?: readonly TransferKind[] } = {},
): Promise<void> {
  const key = `${installationId}:${options.kinds?.join(",") ?? "*"}`;
  const current = running.get(key);
  if (current) {
    current.again = true;
    return current.promise;
  }
  const run: Run = { again: false, promise: Promise.resolve() };
  run.promise = (async () => {
    try {
      do {
        run.again = false;
        await runOutbox({ budgetMs: options.budgetMs ?? 20_000, installationId, kinds: options.kinds });
      } while (run.again);
    } catch (error) {
      loggedAndIgnored("transfers.kick_failed", { installationId })(error);
    } finally {
      running.delete(key);
    }
  })();
  running.set(key, run);
  return run.promise;
}
