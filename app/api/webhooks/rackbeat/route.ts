import { readCappedText } from "@/app/api/read-body";
import { translatorFor, wordMessage } from "@/app/i18n/catalog";
import { MAX_WEBHOOK_BODY_BYTES, receiveRackbeatWebhook } from "@/lib/webhooks/rackbeat";

export const dynamic = "force-dynamic";

// Rackbeat's delivery log and support read these answers, so they are worded in English.
const words = translatorFor("en");

export async function POST(request: Request) {
  const result = await receiveRackbeatWebhook(request.headers, () =>
    readCappedText(request, MAX_WEBHOOK_BODY_BYTES),
  );
  return Response.json(
    { ok: result.status < 300, code: result.message.code, message: wordMessage(words, result.message) },
    { status: result.status },
  );
}
