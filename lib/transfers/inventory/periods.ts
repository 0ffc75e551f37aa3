import type { FREQUENCIES } from "@/lib/settings/schema";

/**
 * Inventory value periods, in the customer's time: Europe/Copenhagen. A period is named by its last
 * local day (daily: every day; weekly: a Sunday; monthly: the month's last day) and closes at the local
 * midnight that ends that day, whether the day had 23, 24 or 25 hours.
 */
export const INVENTORY_TIME_ZONE = "Europe/Copenhagen";
export type Frequency = (typeof FREQUENCIES)[number];
/** `YYYY-MM-DD`, a local calendar day. */
export type LocalDate = string;

const dateFormat = new Intl.DateTimeFormat("en-CA", {
  timeZone: INVENTORY_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});
const partsFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: INVENTORY_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
});

/** The local calendar day an instant falls on. */
export const localDate = (instant: Date): LocalDate => dateFormat.format(instant);

/** Minutes the local clock is ahead of UTC at an instant (60 in winter, 120 in summer). */
function offsetMinutes(instant: Date): number {
  const parts = Object.fromEntries(partsFormat.formatToParts(instant).map((p) => [p.type, Number(p.value)]));
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant a local day begins. Copenhagen changes its clocks at 02:00/03:00, never at midnight. */
export function startOfLocalDay(date: LocalDate): Date {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  const first = utcMidnight - offsetMinutes(new Date(utcMidnight)) * 60_000;
  return new Date(utcMidnight - offsetMinutes(new Date(first)) * 60_000);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function isPeriodEnd(date: LocalDate, frequency: Frequency): boolean {
  if (frequency === "daily") return true;
  if (frequency === "weekly") return new Date(`${date}T00:00:00Z`).getUTCDay() === 0;
  return addDays(date, 1).endsWith("-01");
}

/** The instant a period closes: the local midnight after its last day. */
export const closesAt = (periodEnd: LocalDate): Date => startOfLocalDay(addDays(periodEnd, 1));

/** The most recent period that has closed at `now`. */
export function lastClosedPeriod(now: Date, frequency: Frequency): LocalDate {
  // Today has not closed yet, so the newest candidate is yesterday (local).
  let date = addDays(localDate(now), -1);
  while (!isPeriodEnd(date, frequency)) date = addDays(date, -1);
  return date;
}

/** How many period ends lie strictly between two period ends: the periods a posting catches up. */
export function periodsBetween(after: LocalDate, before: LocalDate, frequency: Frequency): number {
  let n = 0;
  for (let d = addDays(after, 1); d < before; d = addDays(d, 1)) if (isPeriodEnd(d, frequency)) n++;
  return n;
}

/** ISO week number and its year, for a weekly period's name. */
function isoWeek(date: LocalDate): { year: number; week: number } {
  const d = new Date(`${date}T00:00:00Z`);
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return { year: d.getUTCFullYear(), week: Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7) };
}

/** The period as the voucher text names it: `2026-11-29`, `2026-W48`, `2026-11`. */
export function periodName(periodEnd: LocalDate, frequency: Frequency): string {
  if (frequency === "daily") return periodEnd;
  if (frequency === "monthly") return periodEnd.slice(0, 7);
  const { year, week } = isoWeek(periodEnd);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The voucher text, as Rackbeat's own integration writes it, followed by the period. */
export const INVENTORY_TEXT_PREFIX = "Rackbeat Justering ";
export const inventoryVoucherText = (periodEnd: LocalDate, frequency: Frequency) =>
  `${INVENTORY_TEXT_PREFIX}${periodName(periodEnd, frequency)}`;
