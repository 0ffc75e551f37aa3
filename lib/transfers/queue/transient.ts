import { logger } from "@/lib/log";

/** Postgres's "try again" answers: a deadlock broken by aborting this statement, a serialization failure. */
const TRANSIENT = new Set(["40P01", "40001"]);

/**
 * Runs one of the queue's single statements (outside any transaction) again when Postgres aborted it to
 * break a deadlock with another session — for example a batch's finish meeting an enqueue that re-queues
 * the same rows in another order. The aborted statement changed nothing, so running it again is safe.
 */
export async function retryTransient<T>(what: string, run: () => Promise<T>, tries = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== "string" || !TRANSIENT.has(code) || attempt >= tries) throw error;
      logger().warn({ event: "outbox.statement_retried", what, code, attempt });
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
