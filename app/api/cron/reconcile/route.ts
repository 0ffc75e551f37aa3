import { responder } from "@/app/responder";
import { cronRefusal } from "../authorize";
import { ACTORS } from "@/lib/actors";
import { rotateDueLaunchSecrets } from "@/lib/installations/launch-secret";
import { reconcileAll } from "@/lib/transfers/reconcile";
import { runOutbox } from "@/lib/transfers/worker";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

/**
 * Every five minutes (vercel.json): the guaranteed path. Queues every booked document that no webhook
 * brought, then works on the queue with what is left of the time.
 */
export const GET = responder(async (request: Request) => {
  const refused = cronRefusal(request);
  if (refused) return refused;
  const started = Date.now();
  const swept = await reconcileAll(30_000);
  // Settings links older than a week get a new secret (a handful per run; one Rackbeat call each).
  const links = await rotateDueLaunchSecrets(ACTORS.system, 20);
  const summary = await runOutbox({ budgetMs: Math.max(0, 45_000 - (Date.now() - started)) });
  return Response.json({ ok: true, ...swept, launchLinksReplaced: links.replaced, ...summary });
});
