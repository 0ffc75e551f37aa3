import { and, eq, lt, sql } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { ACTORS } from "@/lib/actors";
import { decryptToken, safeEqual, sha256 } from "@/lib/crypto";
import { markUninstalled } from "@/lib/installations/lifecycle";
import { logger } from "@/lib/log";
import { message, type Message, type MessageCode } from "@/lib/messages";
import { enqueue, type Enqueueable } from "@/lib/transfers/queue";
import { customerInvoice } from "@/lib/transfers/kinds/customer-invoice";
import { customer, product, supplier } from "@/lib/transfers/kinds/master-records";
import { supplierInvoice } from "@/lib/transfers/kinds/supplier-invoice";
import { UNCERTAIN } from "@/lib/uncertain";

/** `process`: the installation whose new transfer should start at once (the route hands it to waitUntil). */
export type WebhookResult = { status: number; message: Message; process?: string };

/** Which transfer a document event asks for (names UNCERTAIN, lib/uncertain.ts). */
const EVENTS = UNCERTAIN.rackbeat.webhookEvents;
const KIND_OF_EVENT: Record<string, Enqueueable> = {
  [EVENTS.customerInvoiceBooked]: customerInvoice,
  [EVENTS.supplierInvoiceBooked]: supplierInvoice,
  [EVENTS.productCreated]: product,
  [EVENTS.productUpdated]: product,
  [EVENTS.customerCreated]: customer,
  [EVENTS.customerUpdated]: customer,
  [EVENTS.supplierCreated]: supplier,
  [EVENTS.supplierUpdated]: supplier,
};

/** A delivery is a key and a few names; anything near this size is not one. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
const RECEIPT_DAYS = 7;

const reply = (status: number, code: MessageCode): WebhookResult => ({ status, message: message(code) });

/**
 * POST /api/webhooks/rackbeat. Rackbeat's only authenticity proof is the per-webhook token in
 * `Rackbeat-Webhook-Token` (no signature), compared in constant time with the one stored at install.
 * The headers are checked before the body is read, and the body is read only up to
 * MAX_WEBHOOK_BODY_BYTES (`readBody` answers undefined beyond it). Unknown account, unknown webhook and
 * wrong token all get the same 401, so the answer tells nobody which accounts use the app. A document
 * delivery seen before (same installation, event and body) is acknowledged again without new work.
 */
export async function receiveRackbeatWebhook(
  headers: Headers,
  readBody: () => Promise<string | undefined>,
): Promise<WebhookResult> {
  const token = headers.get("Rackbeat-Webhook-Token");
  const event = headers.get("Rackbeat-Webhook-Event");
  const accountId = headers.get("Rackbeat-Account-Id");
  if (!token || !event || !accountId) return reply(400, "webhook.headers_missing");
  if (token.length > 256 || event.length > 100 || !/^\d{1,20}$/.test(accountId))
    return reply(401, "webhook.not_accepted");

  const raw = await readBody();
  if (raw === undefined) return reply(413, "webhook.body_too_large");
  let payload: unknown;
  try {
    payload = JSON.parse(raw || "{}");
  } catch {
    return reply(400, "webhook.body_not_json");
  }
  if (!payload || typeof payload !== "object" || Array.isArray(payload))
    return reply(400, "webhook.body_not_object");
  const body = payload as { key?: unknown; event?: unknown };
  if (body.event !== undefined && body.event !== event) return reply(400, "webhook.event_mismatch");
  const key = body.key;
  if (key !== undefined && !validKey(key)) return reply(400, "webhook.key_invalid");

  // The installation, its webhook for this event and whether its settings are active, in one query: one
  // round trip before the token check, and none for the settings after it.
  const db = await getDb();
  const [found] = await db
    .select({
      installation: schema.installations,
      webhookToken: schema.rackbeatWebhooks.token,
      activatedAt: schema.settings.activatedAt,
      settingsVersion: schema.settings.version,
    })
    .from(schema.installations)
    .leftJoin(
      schema.rackbeatWebhooks,
      and(
        eq(schema.rackbeatWebhooks.installationId, schema.installations.id),
        eq(schema.rackbeatWebhooks.event, event),
      ),
    )
    .leftJoin(schema.settings, eq(schema.settings.installationId, schema.installations.id))
    .where(eq(schema.installations.rackbeatAccountId, accountId));
  const installation = found?.installation;
  const isUninstall = event === UNCERTAIN.rackbeat.webhookEvents.pluginUninstalled;
  if (!installation || (installation.status === "uninstalled" && !isUninstall))
    return reply(401, "webhook.not_accepted");
  if (!found.webhookToken || !safeEqual(decryptToken(found.webhookToken), token))
    return reply(401, "webhook.not_accepted");

  const transfer = KIND_OF_EVENT[event];
  // The receipt and the transfer it causes are written together: a redelivery finds both, or neither.
  const outcome = await db.transaction(async (tx) => {
    // Acknowledged before the commit reaches the disk: a receipt lost to a database crash in that
    // moment is redelivered by Rackbeat or found by the reconcile sweep, the path that guarantees
    // arrival. The saved flush keeps the answer fast under bursts.
    await tx.execute(sql`set local synchronous_commit = off`);
    // Receipts dedupe only deliveries whose work must not run twice (a booked document, an uninstall).
    // A product, customer or supplier change arrives as `{key_name, key}` like the one before it
    // (rackbeat-api.md §8): two changes look byte for byte the same, so they always queue; the outbox
    // folds a change into a transfer still waiting for the same record.
    if (!transfer?.repeatable) {
      const first = await tx
        .insert(schema.webhookReceipts)
        .values({ installationId: installation.id, event, bodyHash: sha256(raw) })
        .onConflictDoNothing()
        .returning({ receivedAt: schema.webhookReceipts.receivedAt });
      if (!first.length) return "duplicate" as const;
    }
    // The uninstall is done in the receipt's transaction: a failure leaves no receipt, so Rackbeat's
    // redelivery does it again instead of being acknowledged as a duplicate with the tokens still there.
    if (isUninstall) {
      if (installation.status !== "uninstalled")
        await markUninstalled(installation.id, ACTORS.rackbeatUninstall, tx);
      return "uninstalled" as const;
    }
    if (!transfer || key === undefined || installation.status !== "active") return "received" as const;
    if (!found.activatedAt || found.settingsVersion === null) return "received" as const;
    // A document is transferred once; a product, customer or supplier again each time it changes.
    await enqueue(tx, transfer, {
      installationId: installation.id,
      sourceId: String(key),
      settingsVersion: found.settingsVersion,
    });
    return "enqueued" as const;
  });
  if (outcome === "duplicate") return reply(200, "webhook.duplicate");
  if (outcome === "uninstalled") return reply(200, "webhook.uninstalled");
  logger().info({
    event: "webhook.received",
    installationId: installation.id,
    rackbeatEvent: event,
    key: key ?? null,
    outcome,
  });
  return outcome === "enqueued"
    ? { ...reply(202, "webhook.received"), process: installation.id }
    : reply(202, "webhook.received");
}

/**
 * Receipts are kept RECEIPT_DAYS (Rackbeat retries for about a day); older ones are pruned by the outbox
 * cron, not on the delivery's hot path.
 */
export async function pruneWebhookReceipts(): Promise<number> {
  const db = await getDb();
  const gone = await db
    .delete(schema.webhookReceipts)
    .where(lt(schema.webhookReceipts.receivedAt, new Date(Date.now() - RECEIPT_DAYS * 24 * 3600 * 1000)))
    .returning({ at: schema.webhookReceipts.receivedAt });
  return gone.length;
}

/** Rackbeat keys are numbers (invoice, customer, supplier numbers) or short product numbers. */
const validKey = (key: unknown) =>
  (typeof key === "number" && Number.isSafeInteger(key) && key >= 0) ||
  (typeof key === "string" && key.length >= 1 && key.length <= 100 && !/[\u0000-\u001f]/.test(key));
