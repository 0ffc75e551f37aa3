import { responder } from "@/app/responder";
import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

export const GET = responder(async () => {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
});
