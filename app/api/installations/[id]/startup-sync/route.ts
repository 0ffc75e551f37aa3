import { responder } from "@/app/responder";
import { routeAccess } from "@/app/installations/access";
import { startupSyncStatus } from "@/lib/sync/status";

export const dynamic = "force-dynamic";

/**
 * The start-up synchronization's progress, polled by the settings page while it runs. Only for a
 * session (or launch token) that may see this installation; anyone else gets the same 404 as for an id
 * that does not exist. It reads only our database: polling costs neither e-conomic nor Rackbeat a call.
 */
export const GET = responder(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const access = await routeAccess(request, id);
  if (!access) return Response.json({ ok: false }, { status: 404 });
  return Response.json(await startupSyncStatus(access.installation.id), {
    headers: { "Cache-Control": "no-store" },
  });
});
