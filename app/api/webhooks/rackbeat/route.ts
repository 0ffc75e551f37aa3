import { receiveRackbeatWebhook } from "@/lib/webhooks/rackbeat";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const result = await receiveRackbeatWebhook(request.headers, await request.text());
  return Response.json(result.body, { status: result.status });
}
