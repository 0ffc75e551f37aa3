import { responder } from "@/app/responder";
import { cronRefusal } from "../authorize";
import { enqueueInventoryPostings } from "@/lib/transfers/inventory/schedule";
import { runOutbox } from "@/lib/transfers/worker";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

/**
 * Hourly (vercel.json): queues each installation's posting for the period that closed last (at local
 * midnight in Copenhagen, so within the hour after it), once per period, and posts what is due.
 */
export const GET = responder(async (request: Request) => {
  const refused = cronRefusal(request);
  if (refused) return refused;
  const { enqueued } = await enqueueInventoryPostings();
  const summary = await runOutbox({ budgetMs: 40_000, kinds: ["inventory_value"] });
  return Response.json({ ok: true, enqueued, ...summary });
});
