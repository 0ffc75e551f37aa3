/**
 * The queue core: the only code that changes a transfer's state. A transfer moves
 *
 *   enqueue ──► pending ──claim──► running ──finish──► succeeded | cancelled (skipped) | failed
 *                  ▲                  │
 *                  └──── retry (backoff), paused (+1 min, attempt given back), continued ◄┘
 *
 * and a finished one comes back to pending only by `requeue` (one rule: attempts 0, no completion, no
 * current error, history kept) or, for repeatable kinds, by `enqueue` of the same key. `cancel` ends
 * pending work. Nothing else writes `transfers`; a test (tests/unit/queue-owner.test.ts) holds that.
 */
export { claim, claimWhilePaused, finishAndClaim, type ClaimInput } from "./claim";
export { enqueue, type Enqueueable } from "./enqueue";
export { finish, givesUp, type Finish } from "./finish";
export { backoffSeconds, DEFAULT_RETRY, FAULT_ATTEMPTS, OUTBOX, type RetryPolicy } from "./policy";
export { cancel, recordReference, requeue, type Selection } from "./requeue";
export { retryTransient } from "./transient";
export type { AttemptResult, FollowUp, Transfer } from "./types";
