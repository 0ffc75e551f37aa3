import { responder } from "@/app/responder";
import { scanSentOrders } from "@/lib/orders/scan";
import { runOutbox } from "@/lib/transfers/worker";
import { cronRefusal } from "../authorize";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

/**
 * Every five minutes (vercel.json): queues each installation's e-conomic orders registered as sent and
 * not yet brought into Rackbeat, one transfer each, and brings what is due.
 */
export const GET = responder(async (request: Request) => {
  const refused = cronRefusal(request);
  if (refused) return refused;
  const scan = await scanSentOrders();
  const summary = await runOutbox({ budgetMs: 40_000, kinds: ["economic_order"] });
  return Response.json({ ok: true, ...scan, ...summary });
});
