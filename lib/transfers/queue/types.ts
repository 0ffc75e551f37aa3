import type { schema } from "@/db/client";
import type { Message } from "@/lib/messages";

/** A row of the outbox: one piece of work for one installation, and the customer's status display. */
export type Transfer = typeof schema.transfers.$inferSelect;

/**
 * Work a finished transfer asks for next (an invoice booked → "mark it as sent in Rackbeat"): created in
 * the same statement that records the success, so it exists exactly when the success does.
 */
export type FollowUp = { kind: string; sourceId: string; idempotencyKey: string; payload?: object };

/** What a worker reports when it is done with one attempt. */
export type AttemptResult =
  | {
      outcome: "succeeded";
      economicReference?: string;
      payload?: Record<string, unknown>;
      settingsVersion?: number;
      followUps?: FollowUp[];
    }
  | { outcome: "skipped"; message: Message }
  /** A long transfer stopped at its own checkpoint within its time: due again at once, no attempt used. */
  | { outcome: "continued" }
  | {
      outcome: "retry" | "failed" | "paused";
      message: Message;
      vendorMessage?: string;
      httpStatus?: number;
      logId?: string;
      retryAfterSeconds?: number;
      /** An error no rule expected (a fault on our side): tried FAULT_ATTEMPTS times, not the kind's allowance. */
      fault?: boolean;
    };
