import { eqFilter } from "@/lib/economic/filter";
import { fail } from "../failure";
import { message } from "@/lib/messages";
import type { TransferContext } from "./context";

/**
 * The voucher a transfer made before, found by the text it gave its entries (filterable on a day book's
 * entries): `voucher:<accounting year>-<number>`, or undefined. How a retry after a lost answer avoids
 * posting twice.
 */
export async function findVoucherByText(
  ctx: TransferContext,
  dayBook: string,
  text: string,
): Promise<string | undefined> {
  type Entry = { voucher: { voucherNumber: number; accountingYear?: { year: string } } };
  const filter = encodeURIComponent(eqFilter("text", text));
  const [found] = (
    await ctx.economic.rest<{ collection: Entry[] }>(`/journals/${dayBook}/entries?filter=${filter}`)
  ).data.collection;
  return found && `voucher:${found.voucher.accountingYear?.year ?? ""}-${found.voucher.voucherNumber}`;
}

/** The accounting year a date falls in, looked up by date: never derived from the calendar year. */
async function accountingYearOf(ctx: TransferContext, date: string): Promise<string> {
  const filter = encodeURIComponent(`fromDate$lte:${date}$and:toDate$gte:${date}`);
  const [year] = (
    await ctx.economic.rest<{ collection: { year: string }[] }>(`/accounting-years?filter=${filter}`)
  ).data.collection;
  if (!year) throw fail(message("transfer.no_accounting_year", { date }));
  return year.year;
}

/**
 * One voucher in a day book, in the accounting year its date falls in (`_journals.md`: the year is a
 * string, looked up, never derived): `entries` as e-conomic groups them (`financeVouchers`,
 * `supplierInvoices`, …). Returns `voucher:<accounting year>-<number>`.
 */
export async function postVoucher(
  ctx: TransferContext,
  dayBook: string,
  date: string,
  entries: Record<string, unknown[]>,
): Promise<string> {
  const year = await accountingYearOf(ctx, date);
  const [voucher] = (
    await ctx.economic.rest<{ voucherNumber: number }[]>(`/journals/${dayBook}/vouchers`, {
      method: "POST",
      body: { accountingYear: { year }, journal: { journalNumber: Number(dayBook) }, entries },
    })
  ).data;
  return `voucher:${year}-${voucher.voucherNumber}`;
}
