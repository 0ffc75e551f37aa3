import { z } from "zod";
import { eqFilter } from "@/lib/economic/filter";
import { message } from "@/lib/messages";
import { fromOre, lineNetOre, toOre } from "@/lib/money";
import { matrixKey } from "@/lib/settings/schema";
import { failOnSetting, skip } from "../failure";
import type { RackbeatLine } from "../mapping/invoice-lines";
import { economicSupplier } from "../mapping/master-records";
import { mappedNumber } from "../mapping/numbers";
import { splitSupplierInvoice, type VatCode } from "../mapping/supplier-vat";
import { readRackbeat, type RackbeatProduct, type RackbeatSupplier } from "../rackbeat-records";
import { ensureRecord } from "../record-sync";
import { recordSyncOf, type Succeeded, type TransferContext } from "./context";
import { defineTransfer } from "./define";
import { findVoucher, postVoucher } from "./vouchers";

export type RackbeatSupplierInvoice = {
  number: number;
  supplier_id: number;
  supplier_invoice_number?: string;
  currency: string;
  invoice_date: string;
  due_date: string;
  is_booked: boolean;
  total_subtotal: number;
  total_total: number;
  lines: RackbeatLine[];
};

/** Our mark on the voucher's entries (`text`, filterable on journal and booked entries). */
export const SUPPLIER_INVOICE_TEXT_PREFIX = "Rackbeat leverandørfaktura ";
export const supplierInvoiceText = (number: number | string) => `${SUPPLIER_INVOICE_TEXT_PREFIX}${number}`;

/**
 * A booked Rackbeat supplier invoice → its supplier in e-conomic → one voucher in the chosen day book,
 * one supplier-invoice entry per expense account (the product group × the supplier's VAT zone from the
 * matrix, else the standard account), each carrying that account's net plus its own VAT
 * (mapping/supplier-vat.ts), so that the entries add up to exactly the Rackbeat invoice's total and the
 * input VAT to exactly its VAT.
 */
export async function transferSupplierInvoice(ctx: TransferContext): Promise<Succeeded> {
  const { settings, economic, rackbeat } = ctx;
  if (!settings.creditor.enabled) throw skip(message("transfer.part_not_active", { part: "creditor" }));
  const dayBook = settings.creditor.dayBook;
  if (!dayBook)
    throw failOnSetting("creditor", message("transfer.settings_incomplete", { field: "creditor.dayBook" }));
  const invoice = await readRackbeat<RackbeatSupplierInvoice>(
    rackbeat,
    "supplier_invoice",
    ctx.transfer.sourceId,
  );
  if (!invoice.is_booked) throw skip(message("transfer.not_booked"));
  const text = supplierInvoiceText(invoice.number);
  const supplierInvoiceNumber = (invoice.supplier_invoice_number ?? String(invoice.number)).slice(0, 30);
  const date = invoice.invoice_date.slice(0, 10);
  const found = ctx.mayExist
    ? await findVoucher(ctx, dayBook, date, {
        text,
        alsoBooked: `${eqFilter("supplierInvoiceNumber", supplierInvoiceNumber)}$and:${eqFilter("supplier.supplierNumber", invoice.supplier_id)}`,
      })
    : undefined;
  if (found)
    return {
      outcome: "succeeded",
      economicReference: found,
      settingsVersion: ctx.settingsVersion,
      payload: { invoiceNumber: invoice.number, found: true },
    };

  const supplier = await readRackbeat<RackbeatSupplier>(rackbeat, "supplier", String(invoice.supplier_id));
  const supplierWrite = economicSupplier(supplier, settings);
  const zone = mappedNumber(settings, "vatZones", supplier.vat_zone);
  const netByAccount = new Map<string, bigint>();
  const groups = new Map<string, number>();
  for (const line of invoice.lines) {
    if (!groups.has(line.child_id))
      groups.set(
        line.child_id,
        (await readRackbeat<RackbeatProduct>(rackbeat, "product", line.child_id)).group.number,
      );
    const account =
      settings.accounting.matrix[matrixKey(groups.get(line.child_id)!, zone)] ||
      settings.accounting.standardAccount;
    if (!account)
      throw failOnSetting(
        "accounting",
        message("transfer.settings_incomplete", { field: "accounting.standardAccount" }),
      );
    netByAccount.set(
      account,
      (netByAccount.get(account) ?? 0n) +
        lineNetOre(line.quantity, line.line_price, line.discount_percentage ?? 0),
    );
  }
  const accounts = [...netByAccount.keys()];
  const [codes, vatCodes] = await Promise.all([
    Promise.all(
      accounts.map(
        async (account) =>
          (await economic.rest<{ vatAccount?: { vatCode: string } }>(`/accounts/${account}`)).data.vatAccount
            ?.vatCode,
      ),
    ),
    economic.listAll<VatCode>("/vat-accounts"),
  ]);
  const split = splitSupplierInvoice(
    accounts.map((account, i) => ({
      account,
      netOre: netByAccount.get(account)!,
      vat: codes[i] ? vatCodes.find((v) => v.vatCode === codes[i]) : undefined,
    })),
    { subtotalOre: toOre(invoice.total_subtotal), totalOre: toOre(invoice.total_total) },
    { lines: invoice.lines.length },
  );
  if (!split.ok)
    throw failOnSetting(
      "accounting",
      message("transfer.supplier_invoice_vat_mismatch", {
        invoice: String(invoice.number),
        currency: invoice.currency,
        rackbeatVat: fromOre(split.rackbeatVatOre).toFixed(2),
        economicVat: fromOre(split.economicVatOre).toFixed(2),
        accounts: accounts.map((a, i) => `${a}${codes[i] ? ` (${codes[i]})` : ""}`).join(", "),
      }),
    );

  // An invoice of nothing (all lines at 0) has nothing to book: a voucher of zeros would only be noise.
  if (split.entries.every((e) => e.grossOre === 0n))
    return {
      outcome: "succeeded",
      settingsVersion: ctx.settingsVersion,
      payload: { invoiceNumber: invoice.number, total: invoice.total_total, noVoucher: true },
    };
  await ensureRecord(recordSyncOf(ctx), supplierWrite);
  const voucher = await postVoucher(ctx, dayBook, date, {
    supplierInvoices: split.entries.map((entry) => ({
      supplier: { supplierNumber: supplier.number },
      // The supplier is credited the invoice's amount; the expense account takes it, VAT split off. The
      // VAT is stated with the amount's sign: it is the VAT part of this amount.
      amount: -fromOre(entry.grossOre),
      contraAccount: { accountNumber: Number(entry.account) },
      ...(entry.vatCode ? { contraVatAccount: { vatCode: entry.vatCode } } : {}),
      ...(entry.vatOre !== undefined ? { contraVatAmount: -fromOre(entry.vatOre) } : {}),
      currency: { code: invoice.currency },
      date,
      dueDate: invoice.due_date.slice(0, 10),
      supplierInvoiceNumber,
      text,
    })),
  });
  return {
    outcome: "succeeded",
    economicReference: voucher,
    settingsVersion: ctx.settingsVersion,
    payload: {
      invoiceNumber: invoice.number,
      total: invoice.total_total,
      currency: invoice.currency,
      entries: accounts.length,
    },
  };
}

/** A booked supplier invoice, once, as one voucher. */
export const supplierInvoice = defineTransfer({
  kind: "supplier_invoice",
  key: (number) => `supplier_invoice:${number}`,
  payload: z.looseObject({}),
  run: transferSupplierInvoice,
});
