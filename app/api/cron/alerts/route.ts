import { responder } from "@/app/responder";
import { queueDigests } from "@/lib/alerts/digest";
import { alertTransfer } from "@/lib/alerts/transfer";
import { runOutbox } from "@/lib/transfers/worker";
import { cronRefusal } from "../authorize";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

/**
 * Hourly (vercel.json): queues the day's digest for each installation where a transfer failed that the
 * last digest did not list (from 07:00 Copenhagen time, at most one a day), and sends what is due.
 * Pause alerts are queued with the pause itself and go with the outbox's next run.
 */
export const GET = responder(async (request: Request) => {
  const refused = cronRefusal(request);
  if (refused) return refused;
  const digests = await queueDigests();
  const summary = await runOutbox({ budgetMs: 40_000, kinds: [alertTransfer.kind] });
  return Response.json({ ok: true, ...digests, ...summary });
});
