import { responder } from "@/app/responder";
import { cronRefusal } from "../authorize";
import { sweepAbandonedInstalls } from "@/lib/installations/flows";
import { runOutbox } from "@/lib/transfers/worker";
import { pruneWebhookReceipts } from "@/lib/webhooks/rackbeat";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

/** Every minute (vercel.json): work through due transfers for 45 s, safely alongside any other run. */
export const GET = responder(async (request: Request) => {
  const refused = cronRefusal(request);
  if (refused) return refused;
  const summary = await runOutbox({ budgetMs: 45_000 });
  const abandonedInstalls = await sweepAbandonedInstalls();
  const prunedReceipts = await pruneWebhookReceipts();
  return Response.json({ ok: true, ...summary, abandonedInstalls, prunedReceipts });
});
