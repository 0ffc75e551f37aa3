import { message } from "@/lib/messages";
import { fromOre, lineNetOre, toOre } from "@/lib/money";
import { matrixKey } from "@/lib/settings/schema";
import { UNCERTAIN } from "@/lib/uncertain";
import { fail, skip } from "../failure";
import type { RackbeatLine } from "../mapping/invoice-lines";
import {
  economicSupplier,
  ensureRecord,
  readRackbeat,
  type RackbeatProduct,
  type RackbeatSupplier,
} from "../master-data";
import type { Succeeded, TransferContext } from "./context";
import { findVoucherByText, postVoucher } from "./vouchers";

export type RackbeatSupplierInvoice = {
  number: number;
  supplier_id: number;
  supplier_invoice_number?: string;
  currency: string;
  invoice_date: string;
  due_date: string;
  is_booked: boolean;
  total_total: number;
  lines: RackbeatLine[];
};

/** Our mark on the voucher's entries (`text`, filterable on journal entries). */
export const supplierInvoiceText = (number: number | string) => `Rackbeat leverandørfaktura ${number}`;

/**
 * Splits a gross amount over accounts in proportion to their net, exactly: the largest remainders get
 * the øre that proportional rounding leaves, so the parts always add up to the gross.
 */
export function splitGross(gross: bigint, nets: bigint[]): bigint[] {
  const totalNet = nets.reduce((s, n) => s + n, 0n);
  if (totalNet === 0n) return nets.map((_, i) => (i === 0 ? gross : 0n));
  const raw = nets.map((n) => (gross * n) / totalNet);
  const rest = nets.map((n, i) => ({ i, r: (gross * n) % totalNet }));
  let left = gross - raw.reduce((s, n) => s + n, 0n);
  const step = left >= 0n ? 1n : -1n;
  for (const { i } of rest.sort((a, b) => (a.r === b.r ? a.i - b.i : b.r > a.r ? 1 : -1))) {
    if (left === 0n) break;
    raw[i] += step;
    left -= step;
  }
  return raw;
}

/**
 * A booked Rackbeat supplier invoice → its supplier in e-conomic → one voucher in the chosen day book,
 * one supplier-invoice entry per expense account (the product group × the supplier's VAT zone from the
 * matrix, else the standard account), carrying the account's VAT code as `contraVatAccount`, so that
 * the entries add up to exactly the Rackbeat invoice's total.
 */
export async function transferSupplierInvoice(ctx: TransferContext): Promise<Succeeded> {
  const { settings, economic, rackbeat, installation } = ctx;
  if (!settings.creditor.enabled) throw skip(message("transfer.part_not_active", { part: "creditor" }));
  const dayBook = settings.creditor.dayBook;
  if (!dayBook) throw fail(message("transfer.settings_incomplete", { field: "creditor.dayBook" }));
  const invoice = await readRackbeat<RackbeatSupplierInvoice>(
    rackbeat,
    "supplier_invoice",
    ctx.transfer.sourceId,
  );
  if (!invoice.is_booked) throw skip(message("transfer.not_booked"));
  const text = supplierInvoiceText(invoice.number);
  const found = ctx.mayExist ? await findVoucherByText(ctx, dayBook, text) : undefined;
  if (found)
    return {
      outcome: "succeeded",
      economicReference: found,
      settingsVersion: ctx.settingsVersion,
      payload: { invoiceNumber: invoice.number, found: true },
    };

  const supplier = await readRackbeat<RackbeatSupplier>(rackbeat, "supplier", String(invoice.supplier_id));
  await ensureRecord(
    economic,
    installation.id,
    "supplier",
    String(supplier.number),
    economicSupplier(supplier, settings),
  );
  const zone = UNCERTAIN.rackbeat.vatZoneNumbers[supplier.vat_zone];
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
      throw fail(message("transfer.settings_incomplete", { field: "accounting.standardAccount" }));
    netByAccount.set(
      account,
      (netByAccount.get(account) ?? 0n) +
        lineNetOre(line.quantity, line.line_price, line.discount_percentage ?? 0),
    );
  }
  const accounts = [...netByAccount.keys()];
  const gross = splitGross(
    toOre(invoice.total_total),
    accounts.map((a) => netByAccount.get(a)!),
  );
  const vatCodes = new Map<string, string | undefined>();
  for (const account of accounts)
    vatCodes.set(
      account,
      (await economic.rest<{ vatAccount?: { vatCode: string } }>(`/accounts/${account}`)).data.vatAccount
        ?.vatCode,
    );
  const date = invoice.invoice_date.slice(0, 10);
  const voucher = await postVoucher(ctx, dayBook, date, {
    supplierInvoices: accounts.map((account, i) => ({
      supplier: { supplierNumber: supplier.number },
      // The supplier is credited the invoice's amount; the expense account takes it, VAT split off.
      amount: -fromOre(gross[i]),
      contraAccount: { accountNumber: Number(account) },
      ...(vatCodes.get(account) ? { contraVatAccount: { vatCode: vatCodes.get(account) } } : {}),
      currency: { code: invoice.currency },
      date,
      dueDate: invoice.due_date.slice(0, 10),
      supplierInvoiceNumber: (invoice.supplier_invoice_number ?? String(invoice.number)).slice(0, 30),
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
