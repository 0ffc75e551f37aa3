import { responder } from "@/app/responder";
import { waitUntil } from "@vercel/functions";
import { readCappedText } from "@/app/api/read-body";
import { translatorFor, wordMessage } from "@/app/i18n/catalog";
import { kickInstallation } from "@/lib/transfers/kick";
import { MAX_WEBHOOK_BODY_BYTES, receiveRackbeatWebhook } from "@/lib/webhooks/rackbeat";

export const dynamic = "force-dynamic";
export const maxDuration = 30;

// Rackbeat's delivery log and support read these answers, so they are worded in English.
const words = translatorFor("en");

/**
 * Answers as soon as the delivery is checked and its transfer queued, then starts on the installation's
 * due transfers after the response (waitUntil), so a booked invoice normally reaches e-conomic within
 * seconds. The outbox cron is the safety net when this is cut short.
 */
export const POST = responder(async (request: Request) => {
  const result = await receiveRackbeatWebhook(request.headers, () =>
    readCappedText(request, MAX_WEBHOOK_BODY_BYTES),
  );
  if (result.process) waitUntil(kickInstallation(result.process));
  return Response.json(
    { ok: result.status < 300, code: result.message.code, message: wordMessage(words, result.message) },
    { status: result.status },
  );
});
