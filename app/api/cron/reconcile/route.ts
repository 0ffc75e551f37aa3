import { cronRefusal } from "../authorize";
import { reconcileAll } from "@/lib/transfers/reconcile";
import { runOutbox } from "@/lib/transfers/worker";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

/**
 * Every five minutes (vercel.json): the guaranteed path. Queues every booked document that no webhook
 * brought, then works on the queue with what is left of the time.
 */
export async function GET(request: Request) {
  const refused = cronRefusal(request);
  if (refused) return refused;
  const started = Date.now();
  const swept = await reconcileAll(30_000);
  const summary = await runOutbox({ budgetMs: Math.max(0, 45_000 - (Date.now() - started)) });
  return Response.json({ ok: true, ...swept, ...summary });
}
