import { addDays, localDate, type LocalDate } from "@/lib/transfers/inventory/periods";

/** A report's period: whole local days in Copenhagen time, both ends included. */
export type ReportPeriod = { from: LocalDate; to: LocalDate };

/** The longest period one report covers: a year's documents are still a few dozen pages. */
export const MAX_PERIOD_DAYS = 366;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (value: string) => {
  if (!DATE.test(value)) return false;
  const at = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === value;
};

/** The calendar month a local day falls in. */
export function monthOf(day: LocalDate): ReportPeriod {
  const from = `${day.slice(0, 7)}-01`;
  const next = new Date(`${from}T00:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return { from, to: addDays(next.toISOString().slice(0, 10), -1) };
}

/** This month in Copenhagen: the page's default. */
export const currentMonth = (now = new Date()) => monthOf(localDate(now));

export const daysIn = (p: ReportPeriod) =>
  Math.round((Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / 86_400_000) + 1;

export type PeriodProblem = {
  field: "from" | "to";
  code: "report.date_invalid" | "report.period_reversed" | "report.period_too_long";
};

/**
 * A period from the page's query (`from`, `to`, or `month=YYYY-MM`); nothing given is this month. A
 * wrong date is named with the field it belongs to, so the form shows it there.
 */
export function parsePeriod(
  query: { from?: string; to?: string; month?: string },
  now = new Date(),
): { ok: true; period: ReportPeriod } | { ok: false; problem: PeriodProblem } {
  if (query.month && /^\d{4}-\d{2}$/.test(query.month) && isDate(`${query.month}-01`))
    return { ok: true, period: monthOf(`${query.month}-01`) };
  if (!query.from && !query.to) return { ok: true, period: currentMonth(now) };
  const from = query.from?.trim() ?? "";
  const to = query.to?.trim() || from;
  if (!isDate(from)) return { ok: false, problem: { field: "from", code: "report.date_invalid" } };
  if (!isDate(to)) return { ok: false, problem: { field: "to", code: "report.date_invalid" } };
  if (to < from) return { ok: false, problem: { field: "to", code: "report.period_reversed" } };
  const period = { from, to };
  if (daysIn(period) > MAX_PERIOD_DAYS)
    return { ok: false, problem: { field: "to", code: "report.period_too_long" } };
  return { ok: true, period };
}

export const inPeriod = (date: string | undefined, p: ReportPeriod) =>
  !!date && date.slice(0, 10) >= p.from && date.slice(0, 10) <= p.to;
