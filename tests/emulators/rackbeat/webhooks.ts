import type { RackbeatState, Webhook } from "./state";

/**
 * The events this emulator emits, taken from reference/rackbeat-api.md §5 ("Event names") and kept here,
 * apart from the app's own list (lib/uncertain.ts), so that a test can catch the app subscribing to a
 * name the emulator does not send. Confirmed: `plugin.uninstalled` (DASH) and `product.created` /
 * `product.updated` (third-party production code). The document names are the reference's examples
 * "by analogy" and stay UNCERTAIN until checked against developer.rackbeat.com.
 */
export const RACKBEAT_EVENTS = {
  pluginUninstalled: "plugin.uninstalled",
  productCreated: "product.created",
  productUpdated: "product.updated",
  customerInvoiceBooked: "customer_invoice.booked",
  supplierInvoiceBooked: "supplier_invoice.booked",
  customerCreated: "customer.created",
  customerUpdated: "customer.updated",
  supplierCreated: "supplier.created",
  supplierUpdated: "supplier.updated",
  /** Confirmed in the developer docs' example (rackbeat-api.md §5). */
  orderCreated: "order.created",
} as const;

const sleepTimer = (state: RackbeatState, ms: number, fn: () => void) => {
  const t = setTimeout(() => {
    state.timers.delete(t);
    fn();
  }, ms);
  state.timers.add(t);
};

/**
 * Delivers an event to every active webhook of the account registered for it, with the three
 * documented headers; a failure (non-2xx, timeout, refused) is retried with exponential backoff.
 */
export function emit(
  state: RackbeatState,
  accountId: number,
  event: string,
  payload: {
    key: string | number;
    key_name: "id" | "number";
    data?: unknown;
    old_key?: unknown;
    new_key?: unknown;
    changed?: string[];
  },
  onlyPlugin?: string,
): void {
  const targets = state.webhooks.filter(
    (w) =>
      w.accountId === accountId &&
      w.event === event &&
      w.is_active &&
      (!onlyPlugin || w.plugin === onlyPlugin),
  );
  state.counters.add(`events.${event}`);
  for (const webhook of targets) deliver(state, webhook, { ...payload, event }, 1);
}

function deliver(state: RackbeatState, webhook: Webhook, body: unknown, attempt: number): void {
  const record = {
    id: state.nextDeliveryId++,
    webhookId: webhook.id,
    accountId: webhook.accountId,
    event: webhook.event,
    url: webhook.url,
    attempt,
    status: null as number | null,
    error: undefined as string | undefined,
    at: new Date().toISOString(),
    payload: body,
  };
  state.deliveries.push(record);
  state.counters.add("webhooks.attempts");
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), 15_000);
  fetch(webhook.url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "Rackbeat Webhook",
      "Rackbeat-Webhook-Token": webhook.token,
      "Rackbeat-Webhook-Event": webhook.event,
      "Rackbeat-Account-Id": String(webhook.accountId),
    },
    body: JSON.stringify(body),
    signal: controller.signal,
  })
    .then(async (response) => {
      record.status = response.status;
      // Only the status counts for a delivery; draining the body frees the socket, and a body cut off
      // mid-read changes nothing about the outcome already recorded.
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) {
        webhook.failures_since_last_success = 0;
        state.counters.add("webhooks.delivered");
        return;
      }
      throw new Error(`HTTP ${response.status}`);
    })
    .catch((error: Error) => {
      record.error = error.message;
      webhook.failures_since_last_success += 1;
      state.counters.add("webhooks.failed");
      if (attempt < state.webhookMaxAttempts && state.webhooks.includes(webhook)) {
        const delay = state.webhookRetryBaseMs * 2 ** (attempt - 1);
        sleepTimer(state, delay, () => deliver(state, webhook, body, attempt + 1));
      }
    })
    .finally(() => clearTimeout(timeout));
}
