import { and, eq } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { decryptToken, safeEqual } from "@/lib/crypto";
import { markUninstalled } from "@/lib/installations/lifecycle";
import { findByRackbeatAccount } from "@/lib/installations/repository";
import { UNCERTAIN } from "@/lib/uncertain";

export type WebhookResult = { status: number; body: { ok: boolean; message: string } };

const reply = (status: number, message: string): WebhookResult => ({
  status,
  body: { ok: status < 300, message },
});

/**
 * POST /api/webhooks/rackbeat. Rackbeat's only authenticity proof is the per-webhook token in
 * `Rackbeat-Webhook-Token` (no signature), compared in constant time with the one stored at install.
 */
export async function receiveRackbeatWebhook(headers: Headers, rawBody: string): Promise<WebhookResult> {
  const token = headers.get("Rackbeat-Webhook-Token");
  const event = headers.get("Rackbeat-Webhook-Event");
  const accountId = headers.get("Rackbeat-Account-Id");
  if (!token || !event || !accountId)
    return reply(
      400,
      "Missing Rackbeat-Webhook-Token, Rackbeat-Webhook-Event or Rackbeat-Account-Id header.",
    );
  let payload: { key?: unknown; event?: unknown };
  try {
    payload = JSON.parse(rawBody || "{}");
  } catch {
    return reply(400, "The body is not valid JSON.");
  }
  if (payload.event !== undefined && payload.event !== event)
    return reply(400, "The event in the body does not match the Rackbeat-Webhook-Event header.");

  const installation = await findByRackbeatAccount(accountId);
  if (!installation) return reply(404, "No installation for this Rackbeat account.");
  // A redelivered uninstall after we already wiped the tokens: nothing left to do, and nothing to leak.
  if (installation.status === "uninstalled")
    return event === UNCERTAIN.rackbeat.webhookEvents.pluginUninstalled
      ? reply(200, "Already uninstalled.")
      : reply(410, "This installation was uninstalled.");

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
    return reply(401, "The webhook token does not match.");

  if (event === UNCERTAIN.rackbeat.webhookEvents.pluginUninstalled) {
    await markUninstalled(installation.id, "rackbeat:plugin.uninstalled");
    return reply(200, "Uninstalled.");
  }
  // Document events are turned into transfers by the transfer pipeline; until then they are recorded.
  await writeAudit(db, {
    installationId: installation.id,
    actor: "rackbeat:webhook",
    action: "webhook.received",
    details: { event, key: payload.key ?? null },
  });
  return reply(202, "Received.");
}
