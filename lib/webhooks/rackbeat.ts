import { and, eq } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { ACTORS } from "@/lib/actors";
import { decryptToken, safeEqual } from "@/lib/crypto";
import { markUninstalled } from "@/lib/installations/lifecycle";
import { findByRackbeatAccount } from "@/lib/installations/repository";
import { logger } from "@/lib/log";
import { message, type Message, type MessageCode } from "@/lib/messages";
import { UNCERTAIN } from "@/lib/uncertain";

export type WebhookResult = { status: number; message: Message };

const reply = (status: number, code: MessageCode): WebhookResult => ({ status, message: message(code) });

/**
 * POST /api/webhooks/rackbeat. Rackbeat's only authenticity proof is the per-webhook token in
 * `Rackbeat-Webhook-Token` (no signature), compared in constant time with the one stored at install.
 */
export async function receiveRackbeatWebhook(headers: Headers, rawBody: string): Promise<WebhookResult> {
  const token = headers.get("Rackbeat-Webhook-Token");
  const event = headers.get("Rackbeat-Webhook-Event");
  const accountId = headers.get("Rackbeat-Account-Id");
  if (!token || !event || !accountId) return reply(400, "webhook.headers_missing");
  let payload: { key?: unknown; event?: unknown };
  try {
    payload = JSON.parse(rawBody || "{}");
  } catch {
    return reply(400, "webhook.body_not_json");
  }
  if (payload.event !== undefined && payload.event !== event) return reply(400, "webhook.event_mismatch");

  const installation = await findByRackbeatAccount(accountId);
  if (!installation) return reply(404, "webhook.not_accepted");
  // A redelivered uninstall after we already wiped the tokens: nothing left to do, and nothing to leak.
  if (installation.status === "uninstalled")
    return event === UNCERTAIN.rackbeat.webhookEvents.pluginUninstalled
      ? reply(200, "webhook.already_uninstalled")
      : reply(410, "webhook.not_accepted");

  const db = await getDb();
  const [webhook] = await db
    .select()
    .from(schema.rackbeatWebhooks)
    .where(
      and(
        eq(schema.rackbeatWebhooks.installationId, installation.id),
        eq(schema.rackbeatWebhooks.event, event),
      ),
    );
  if (!webhook?.token || !safeEqual(decryptToken(webhook.token), token))
    return reply(401, "webhook.not_accepted");

  if (event === UNCERTAIN.rackbeat.webhookEvents.pluginUninstalled) {
    await markUninstalled(installation.id, ACTORS.rackbeatUninstall);
    return reply(200, "webhook.uninstalled");
  }
  // Document events become transfers once the transfer pipeline exists; until then they are logged (a
  // webhook receipt is not something the customer did, so it stays out of the change history).
  logger().info({
    event: "webhook.received",
    installationId: installation.id,
    rackbeatEvent: event,
    key: typeof payload.key === "string" || typeof payload.key === "number" ? payload.key : null,
  });
  return reply(202, "webhook.received");
}
