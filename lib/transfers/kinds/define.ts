import type { z } from "zod";
import type { Enqueueable, RetryPolicy } from "../queue";
import type { Continued, Succeeded, TransferContext } from "./context";

/**
 * What a transfer kind is: its name, how its transfers are keyed, what its row carries, and how one
 * attempt is carried out. The queue core does the rest (claim, lease, retries, history). Adding a kind
 * is one file that calls `defineTransfer` plus one line in `lib/transfers/registry.ts` (and its name in
 * the message catalogs).
 */
export type TransferDefinition<K extends string = string, P extends object = object> = Enqueueable & {
  kind: K;
  /** What the row's payload holds when queued (validated at enqueue and again before each attempt). */
  payload: z.ZodType<P>;
  /** One attempt. Throws a TransferFailure (lib/transfers/failure.ts) for any outcome but success. */
  run: (ctx: TransferContext, payload: P) => Promise<Succeeded | Continued>;
  /** How often and how far apart it is tried (default: 8 times, from 30 s doubling up to an hour). */
  retry?: RetryPolicy;
  /** Runs before the settings are activated (the start-up synchronization fills Rackbeat first). */
  runsBeforeActivation?: boolean;
  /**
   * Needs neither service, so it runs while the installation is paused or uninstalled: the e-mail that
   * says so must still go (lib/alerts/). Claimed by `claimWhilePaused`.
   */
  runsWhilePaused?: boolean;
};

export const defineTransfer = <K extends string, P extends object>(
  definition: TransferDefinition<K, P>,
): TransferDefinition<K, P> => definition;
