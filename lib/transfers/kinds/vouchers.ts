import { eqFilter } from "@/lib/economic/filter";
import { encodeProductNumber } from "@/lib/economic/product-number";
import { message } from "@/lib/messages";
import { fail } from "../failure";
import { writeKey, type TransferContext } from "./context";

type Voucher = { voucherNumber?: number; voucher?: { voucherNumber: number } };
type DraftEntry = { voucher: { voucherNumber: number; accountingYear?: { year: string } } };
type BookedEntry = { voucherNumber: number };

/** How a transfer finds the voucher it made: the text of its entries, and optionally a second filter. */
export type VoucherMark = {
  text: string;
  /**
   * Another filter on the accounting year's booked entries that identifies the same document even if the
   * bookkeeper edited the text (a supplier invoice: its number and supplier).
   */
  alsoBooked?: string;
};

/** The accounting year a date falls in, looked up by date: never derived from the calendar year. */
export async function accountingYearOf(ctx: TransferContext, date: string): Promise<string> {
  const filter = encodeURIComponent(`fromDate$lte:${date}$and:toDate$gte:${date}`);
  const [year] = (
    await ctx.economic.rest<{ collection: { year: string }[] }>(`/accounting-years?filter=${filter}`)
  ).data.collection;
  if (!year) throw fail(message("transfer.no_accounting_year", { date }));
  return year.year;
}

/**
 * The voucher a transfer made before, or undefined: `voucher:<accounting year>-<number>`. A retry may come
 * an hour or a week after the write whose answer was lost, and by then the bookkeeper may have booked the
 * day book (its entries leave it for the year's booked entries, with new voucher numbers) or moved the
 * entry to another day book; texts stay (economic-constraints.md). So we look, in this order, in the chosen
 * day book, the accounting year's booked entries, and every other day book.
 */
export async function findVoucher(
  ctx: TransferContext,
  dayBook: string,
  date: string,
  mark: VoucherMark,
): Promise<string | undefined> {
  const byText = encodeURIComponent(eqFilter("text", mark.text));
  const inDayBook = async (journal: string) => {
    const [found] = (
      await ctx.economic.rest<{ collection: DraftEntry[] }>(`/journals/${journal}/entries?filter=${byText}`)
    ).data.collection;
    return found && `voucher:${found.voucher.accountingYear?.year ?? ""}-${found.voucher.voucherNumber}`;
  };
  const draft = await inDayBook(dayBook);
  if (draft) return draft;

  const year = await accountingYearOf(ctx, date);
  const booked = encodeURIComponent(
    mark.alsoBooked ? `${eqFilter("text", mark.text)}$or:(${mark.alsoBooked})` : eqFilter("text", mark.text),
  );
  const [entry] = (
    await ctx.economic.rest<{ collection: BookedEntry[] }>(
      `/accounting-years/${encodeProductNumber(year)}/entries?filter=${booked}`,
    )
  ).data.collection;
  if (entry) return `voucher:${year}-${entry.voucherNumber}`;

  const journals = await ctx.economic.listAll<{ journalNumber: number }>("/journals");
  for (const j of journals) {
    if (String(j.journalNumber) === dayBook) continue;
    const moved = await inDayBook(String(j.journalNumber));
    if (moved) return moved;
  }
  return undefined;
}

/**
 * One voucher in a day book, in the accounting year its date falls in (`_journals.md`: the year is a
 * string, looked up, never derived): `entries` as e-conomic groups them (`financeVouchers`,
 * `supplierInvoices`, …), under the transfer's Idempotency-Key. Returns `voucher:<accounting year>-<number>`.
 */
export async function postVoucher(
  ctx: TransferContext,
  dayBook: string,
  date: string,
  entries: Record<string, unknown[]>,
): Promise<string> {
  const year = await accountingYearOf(ctx, date);
  const { data } = await ctx.economic.rest<Voucher | Voucher[]>(`/journals/${dayBook}/vouchers`, {
    method: "POST",
    body: { accountingYear: { year }, journal: { journalNumber: Number(dayBook) }, entries },
    idempotencyKey: writeKey(ctx, "voucher"),
  });
  // Documented as "a single object"; live it answers an array (economic-constraints.md): take either.
  const voucher = Array.isArray(data) ? data[0] : data;
  const number = voucher?.voucherNumber ?? voucher?.voucher?.voucherNumber;
  if (number === undefined) throw new Error("e-conomic answered the voucher without a voucher number");
  return `voucher:${year}-${number}`;
}
