import { and, eq } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { HttpError } from "@/lib/http";
import { rackbeatTokenOf, type Installation } from "@/lib/installations/repository";
import { errorFields, logger } from "@/lib/log";
import { message, type Message } from "@/lib/messages";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { takeRateLimit } from "@/lib/limits";
import { loadSettings } from "@/lib/settings/repository";
import { customerInvoice } from "./kinds/customer-invoice";
import { enqueue, requeue } from "./queue";
import { referenceParams } from "./reference";

export type ManualResult = { ok: boolean; message: Message; field?: "invoiceNumber" };

/**
 * "Manually transfer customer invoice to e-conomic": queues a booked Rackbeat invoice that never arrived.
 * It uses the same idempotency key as the webhook path (`customer_invoice:<number>`), so a manual request
 * can never create a second transfer of an invoice; a failed one is queued again. The caller has already
 * decided that `actor` may act on this installation.
 */
export async function requestManualInvoiceTransfer(input: {
  installation: Installation;
  invoiceNumber: string;
  actor: string;
}): Promise<ManualResult> {
  const { installation } = input;
  const number = input.invoiceNumber.trim();
  if (!/^\d{1,12}$/.test(number))
    return { ok: false, field: "invoiceNumber", message: message("manual.invoice_number_invalid") };
  const settings = await loadSettings(installation.id);
  if (!settings.activatedAt) return { ok: false, message: message("manual.not_activated") };
  // Each request reads the invoice from Rackbeat.
  const limit = await takeRateLimit("manualTransfer", installation.id);
  if (!limit.ok)
    return { ok: false, message: message("manual.too_many", { seconds: String(limit.retryAfterSeconds) }) };

  let invoice: { number: number; is_booked: boolean };
  try {
    invoice = (
      await new RackbeatClient(rackbeatTokenOf(installation) ?? "").request<{
        customer_invoice: { number: number; is_booked: boolean };
      }>(`/customer-invoices/${number}`)
    ).data.customer_invoice;
  } catch (error) {
    if (error instanceof HttpError && error.status === 404)
      return { ok: false, field: "invoiceNumber", message: message("manual.invoice_not_found", { number }) };
    logger().warn({
      event: "manual.rackbeat_failed",
      installationId: installation.id,
      ...errorFields(error),
    });
    return { ok: false, message: message("manual.rackbeat_unreachable") };
  }
  if (!invoice.is_booked)
    return { ok: false, field: "invoiceNumber", message: message("manual.invoice_not_booked", { number }) };

  const key = customerInvoice.key(number);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const created = await enqueue(tx, customerInvoice, {
      installationId: installation.id,
      sourceId: number,
      payload: { manual: true },
      settingsVersion: settings.version,
    });
    let outcome: Message;
    if (created) outcome = message("manual.queued", { number });
    else {
      // A failed or cancelled transfer is queued again by the one rule: a full set of attempts.
      const requeued = await requeue(tx, {
        installationId: installation.id,
        idempotencyKeys: [key],
        statuses: ["failed", "cancelled"],
      });
      if (requeued.length) outcome = message("manual.queued_again", { number });
      else {
        // Already there: say where, in e-conomic's numbers, and create nothing.
        const [existing] = await tx
          .select({ status: schema.transfers.status, economicReference: schema.transfers.economicReference })
          .from(schema.transfers)
          .where(
            and(
              eq(schema.transfers.installationId, installation.id),
              eq(schema.transfers.idempotencyKey, key),
            ),
          );
        outcome =
          existing?.status === "succeeded" && existing.economicReference
            ? message("manual.already_transferred", {
                number,
                ...referenceParams(existing.economicReference),
              })
            : message("manual.already_on_its_way", { number });
      }
    }
    await writeAudit(tx, {
      installationId: installation.id,
      actor: input.actor,
      action: "transfer.manual_requested",
      details: { invoiceNumber: number, outcome: outcome.code },
    });
    return { ok: true, message: outcome };
  });
}
