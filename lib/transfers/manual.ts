import { and, eq, inArray } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { HttpError } from "@/lib/http";
import { installationFor, rackbeatTokenOf } from "@/lib/installations/repository";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { loadSettings } from "@/lib/settings/repository";
import { say, type SettingsLocale } from "@/lib/settings/text";
import { enqueueTransfer } from "./enqueue";

export type ManualResult = { ok: boolean; message: string; field?: string };

/**
 * "Manually transfer customer invoice to e-conomic": queues a booked Rackbeat invoice that never arrived.
 * It uses the same idempotency key as the webhook path (`customer_invoice:<number>`), so a manual request
 * can never create a second transfer of an invoice; a failed one is queued again.
 */
export async function requestManualInvoiceTransfer(input: {
  installationId: string;
  allowedInstallationIds: readonly string[];
  invoiceNumber: string;
  actor: string;
  locale: SettingsLocale;
}): Promise<ManualResult> {
  const { locale } = input;
  const installation = await installationFor(input.installationId, input.allowedInstallationIds);
  if (!installation)
    return { ok: false, message: say(locale, "Installation not found.", "Installationen findes ikke.") };
  const number = input.invoiceNumber.trim();
  if (!/^\d{1,12}$/.test(number))
    return {
      ok: false,
      field: "invoiceNumber",
      message: say(
        locale,
        "Enter the invoice number from Rackbeat (digits only).",
        "Skriv fakturanummeret fra Rackbeat (kun tal).",
      ),
    };
  if (!(await loadSettings(installation.id)).activatedAt)
    return {
      ok: false,
      message: say(locale, "Activate the integration first.", "Aktivér integrationen først."),
    };

  let invoice: { number: number; is_booked: boolean };
  try {
    invoice = (
      await new RackbeatClient(rackbeatTokenOf(installation) ?? "").request<{
        customer_invoice: { number: number; is_booked: boolean };
      }>(`/customer-invoices/${number}`)
    ).data.customer_invoice;
  } catch (error) {
    if (error instanceof HttpError && error.status === 404)
      return {
        ok: false,
        field: "invoiceNumber",
        message: say(
          locale,
          `Rackbeat has no customer invoice ${number}.`,
          `Rackbeat har ingen kundefaktura ${number}.`,
        ),
      };
    return {
      ok: false,
      message: say(
        locale,
        "Rackbeat could not be reached. Try again in a moment.",
        "Rackbeat kunne ikke nås. Prøv igen om lidt.",
      ),
    };
  }
  if (!invoice.is_booked)
    return {
      ok: false,
      field: "invoiceNumber",
      message: say(
        locale,
        `Invoice ${number} is not posted in Rackbeat yet; only posted invoices are transferred.`,
        `Faktura ${number} er ikke bogført i Rackbeat endnu; kun bogførte fakturaer overføres.`,
      ),
    };

  const key = `customer_invoice:${number}`;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const created = await enqueueTransfer(tx, {
      installationId: installation.id,
      kind: "customer_invoice",
      sourceId: number,
      idempotencyKey: key,
      payload: { manual: true },
    });
    let message: string;
    if (created)
      message = say(
        locale,
        `Invoice ${number} is queued for transfer.`,
        `Faktura ${number} er sat i kø til overførsel.`,
      );
    else {
      const requeued = await tx
        .update(schema.transfers)
        .set({
          status: "pending",
          runAfter: new Date(),
          lastError: null,
          lastErrorHint: null,
          updatedAt: new Date(),
        })
        .where(
          and(
            eq(schema.transfers.installationId, installation.id),
            eq(schema.transfers.idempotencyKey, key),
            inArray(schema.transfers.status, ["failed", "cancelled"]),
          ),
        )
        .returning({ id: schema.transfers.id });
      message = requeued.length
        ? say(
            locale,
            `Invoice ${number} failed before; it is queued again.`,
            `Faktura ${number} fejlede tidligere; den er sat i kø igen.`,
          )
        : say(
            locale,
            `Invoice ${number} is already transferred or on its way; nothing was added.`,
            `Faktura ${number} er allerede overført eller på vej; intet blev tilføjet.`,
          );
    }
    await writeAudit(tx, {
      installationId: installation.id,
      actor: input.actor,
      action: "transfer.manual_requested",
      details: { invoiceNumber: number, outcome: message },
    });
    return { ok: true, message };
  });
}
