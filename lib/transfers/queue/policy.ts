/**
 * The outbox's timing rules. A lease is short: a worker that dies mid-transfer gives its rows back
 * within a minute. Each installation runs at most `perInstallationConcurrency` transfers at once, which
 * keeps its agreement inside e-conomic's rate limits, and a batch takes every installation's first row
 * before anyone's second, so one installation's backlog never delays another's single invoice.
 */
export const OUTBOX = {
  leaseSeconds: 60,
  perInstallationConcurrency: 4,
  /**
   * A paused attempt (access revoked) gives its attempt back and its row waits this long, so that a pause
   * the claim cannot see (access lost another way) never spins a worker.
   */
  pauseSeconds: 60,
} as const;

/** How often a kind is tried and how far apart: exponential from `baseBackoffSeconds`, with jitter. */
export type RetryPolicy = {
  maxAttempts: number;
  baseBackoffSeconds: number;
  maxBackoffSeconds: number;
};

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseBackoffSeconds: 30, maxBackoffSeconds: 3600 };

/**
 * A fault on our side (an error no rule expected) is tried this many times, not the kind's full
 * allowance: a bug does not go away by waiting, and eight silent retries over hours hide it from the
 * customer who could report it.
 */
export const FAULT_ATTEMPTS = 3;

/** Seconds until the next attempt: exponential from the attempt number, with jitter, never before Retry-After. */
export function backoffSeconds(
  attempts: number,
  retryAfterSeconds?: number,
  policy: RetryPolicy = DEFAULT_RETRY,
  random = Math.random,
): number {
  const exponential = Math.min(
    policy.maxBackoffSeconds,
    policy.baseBackoffSeconds * 2 ** Math.max(0, attempts - 1),
  );
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.max(retryAfterSeconds ?? 0, Math.round(jittered));
}
