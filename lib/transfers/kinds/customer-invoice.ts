import { z } from "zod";
import { eqFilter } from "@/lib/economic/filter";
import { message } from "@/lib/messages";
import { failOnSetting, skip } from "../failure";
import { mapInvoiceLines, type RackbeatLine } from "../mapping/invoice-lines";
import { customerVat, economicCustomer, economicLayoutFor, economicProduct } from "../mapping/master-records";
import { mappedNumber } from "../mapping/numbers";
import { readRackbeat, type RackbeatCustomer, type RackbeatProduct } from "../rackbeat-records";
import { ensureRecord, knownRecords } from "../record-sync";
import { invoiceReference } from "../reference";
import { agreementCountryOf, recordSyncOf, writeKey, type Succeeded, type TransferContext } from "./context";
import { defineTransfer } from "./define";
import { markAsSentFollowUp } from "./mark-as-sent";

/** A Rackbeat customer invoice, as far as the transfer reads it (rackbeat-api.md §6). */
export type RackbeatCustomerInvoice = {
  number: number;
  customer_id: number;
  currency: string;
  invoice_date: string;
  due_date: string;
  heading?: string;
  layout_id?: number;
  ean?: string;
  is_booked: boolean;
  total_subtotal: number;
  lines: RackbeatLine[];
};

type Draft = { draftInvoiceNumber: number };
type Booked = { bookedInvoiceNumber: number };

/**
 * A booked Rackbeat customer invoice → its customer and products in e-conomic → a draft invoice carrying
 * our reference → booked, when "Post invoices" is on (not for EAN invoices with "Never post EAN
 * invoices"). At steady state (customer and products known and unchanged) that is exactly two
 * e-conomic calls, or one for a draft.
 */
export async function transferCustomerInvoice(ctx: TransferContext): Promise<Succeeded> {
  const { settings, economic, rackbeat, installation } = ctx;
  if (!settings.debtor.enabled) throw skip(message("transfer.part_not_active", { part: "debtor" }));
  const invoice = await readRackbeat<RackbeatCustomerInvoice>(
    rackbeat,
    "customer_invoice",
    ctx.transfer.sourceId,
  );
  if (!invoice.is_booked) throw skip(message("transfer.not_booked"));
  const reference = invoiceReference(invoice.number);
  // The customer and the products are read at once, and what e-conomic already has of them in one query.
  const productNumbers = [...new Set(invoice.lines.map((l) => l.child_id))];
  const [customer, products, known] = await Promise.all([
    readRackbeat<RackbeatCustomer>(rackbeat, "customer", String(invoice.customer_id)),
    Promise.all(productNumbers.map((n) => readRackbeat<RackbeatProduct>(rackbeat, "product", n))),
    knownRecords(installation.id, [
      { kind: "customer", number: String(invoice.customer_id) },
      ...productNumbers.map((number) => ({ kind: "product" as const, number })),
    ]),
  ]);
  // An EAN invoice is one whose customer has an EAN: Rackbeat keeps it on the customer (rackbeat-api.md
  // §8); an `ean` on the invoice itself is used where one is present.
  const ean = invoice.ean?.trim() || customer.ean?.trim() || undefined;
  const book = settings.debtor.postInvoices && !(settings.debtor.neverPostEanInvoices && ean);
  const done = (economicReference: string, extra: Record<string, unknown> = {}): Succeeded => ({
    outcome: "succeeded",
    economicReference,
    settingsVersion: ctx.settingsVersion,
    payload: {
      invoiceNumber: invoice.number,
      total: invoice.total_subtotal,
      currency: invoice.currency,
      ...extra,
    },
  });

  // "Mark invoices as sent": once e-conomic holds it booked, a follow-up transfer of its own.
  const bookedDone = (bookedInvoiceNumber: number, extra: Record<string, unknown> = {}): Succeeded => ({
    ...done(`booked:${bookedInvoiceNumber}`, extra),
    ...(settings.debtor.markInvoicesAsSent ? { followUps: [markAsSentFollowUp(invoice.number)] } : {}),
  });

  // A retry may follow a write whose answer never came: look for our reference before writing again.
  if (ctx.mayExist) {
    const filter = `?filter=${encodeURIComponent(eqFilter("references.other", reference))}`;
    const [bookedFound] = (await economic.rest<{ collection: Booked[] }>(`/invoices/booked${filter}`)).data
      .collection;
    if (bookedFound) return bookedDone(bookedFound.bookedInvoiceNumber, { found: true });
    const [draftFound] = (await economic.rest<{ collection: Draft[] }>(`/invoices/drafts${filter}`)).data
      .collection;
    if (draftFound) {
      if (!book) return done(`draft:${draftFound.draftInvoiceNumber}`, { found: true });
      const booked = await bookDraft(ctx, draftFound.draftInvoiceNumber);
      return bookedDone(booked.bookedInvoiceNumber, { found: true });
    }
  }

  // Everything is mapped before anything is written: a value e-conomic cannot take (an unmatched payment
  // term, a product number over 25 characters) fails the invoice with no request sent.
  const rackbeatLayout = invoice.layout_id ?? customer.layout?.number;
  const layout = economicLayoutFor(settings, rackbeatLayout);
  if (!layout) {
    // Named as the customer knows it in Rackbeat (the invoice carries only its number).
    const named =
      rackbeatLayout === customer.layout?.number
        ? customer.layout?.name
        : (await rackbeat.listAll<{ number: number; name: string }>("/layouts", "layouts")).find(
            (l) => l.number === rackbeatLayout,
          )?.name;
    throw failOnSetting(
      "layouts",
      message("transfer.layout_not_matched", { layout: named ?? String(rackbeatLayout ?? "") }),
    );
  }
  const paymentTermsNumber = mappedNumber(
    settings,
    "paymentTerms",
    customer.payment_terms.number,
    customer.payment_terms.name,
  );
  const writes = [
    economicCustomer(customer, settings, await agreementCountryOf(ctx)),
    ...products.map((product) => economicProduct(product, settings)),
  ];
  const sync = recordSyncOf(ctx);
  await Promise.all(writes.map((write) => ensureRecord(sync, write, known)));

  const { lines, reshaped } = mapInvoiceLines(
    invoice.lines,
    invoice.total_subtotal,
    settings.debtor.useActualQuantity,
  );
  const draft = (
    await economic.rest<Draft>("/invoices/drafts", {
      method: "POST",
      body: {
        date: invoice.invoice_date.slice(0, 10),
        // Used by e-conomic only for payment terms of type dueDate; otherwise it computes its own.
        dueDate: invoice.due_date.slice(0, 10),
        currency: invoice.currency,
        customer: { customerNumber: customer.number },
        layout: { layoutNumber: layout },
        paymentTerms: { paymentTermsNumber },
        recipient: {
          name: customer.company_name.slice(0, 250),
          vatZone: { vatZoneNumber: customerVat(customer, settings).vatZoneNumber },
          ...(customer.address_street ? { address: customer.address_street.slice(0, 250) } : {}),
          ...(customer.address_zipcode ? { zip: customer.address_zipcode.slice(0, 50) } : {}),
          ...(customer.address_city ? { city: customer.address_city.slice(0, 250) } : {}),
          ...(customer.address_country ? { country: customer.address_country.slice(0, 50) } : {}),
          ...(ean ? { ean: ean.slice(0, 13) } : {}),
        },
        references: { other: reference },
        notes: { heading: (invoice.heading || `Rackbeat ${invoice.number}`).slice(0, 250) },
        lines: lines.map((l) => ({ ...l, description: l.description.slice(0, 2500) })),
      },
      idempotencyKey: writeKey(ctx, "draft"),
    })
  ).data;
  if (!book) return done(`draft:${draft.draftInvoiceNumber}`, { reshaped });
  const booked = await bookDraft(ctx, draft.draftInvoiceNumber);
  return bookedDone(booked.bookedInvoiceNumber, { reshaped });
}

async function bookDraft(ctx: TransferContext, draftInvoiceNumber: number): Promise<Booked> {
  return (
    await ctx.economic.rest<Booked>("/invoices/booked", {
      method: "POST",
      body: { draftInvoice: { draftInvoiceNumber } },
      // Per draft: a draft found again after a lost answer is booked under the same key.
      idempotencyKey: writeKey(ctx, `book:${draftInvoiceNumber}`),
    })
  ).data;
}

/** A booked customer invoice, once: keyed by its Rackbeat number (the webhook, the sweep and a manual request agree). */
export const customerInvoice = defineTransfer({
  kind: "customer_invoice",
  key: (number) => `customer_invoice:${number}`,
  payload: z.looseObject({ manual: z.boolean().optional() }),
  run: transferCustomerInvoice,
});
