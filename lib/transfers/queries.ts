import { and, count, desc, eq, gte, lt, max, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb, schema } from "@/db/client";
import { TRANSFER_STATUSES, type TransferStatus } from "@/db/vocabulary";
import { markAsSent } from "./kinds/mark-as-sent";
import { TRANSFER_KINDS } from "./registry";

/** `YYYY-MM-DD` that is a real day (2026-13-45 and 9999-99-99 are not). */
const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((day) => {
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
  });

/** The transfers page's filters, as they arrive in the URL; anything malformed is simply not applied. */
export const transferFilterSchema = z.object({
  kind: z
    .enum(TRANSFER_KINDS as [string, ...string[]])
    .optional()
    .catch(undefined),
  status: z.enum(TRANSFER_STATUSES).optional().catch(undefined),
  from: calendarDay.optional().catch(undefined),
  to: calendarDay.optional().catch(undefined),
  // A document number as people type it: no control characters (Postgres refuses a NUL in text).
  number: z
    .string()
    .trim()
    .max(40)
    .regex(/^[^\u0000-\u001f\u007f]*$/)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
export type TransferFilters = z.infer<typeof transferFilterSchema>;
export const PAGE_SIZE = 50;

/** How many transfers each status holds, and when the last one succeeded. */
export async function transferOverview(installationId: string) {
  const db = await getDb();
  const rows = await db
    .select({ status: schema.transfers.status, n: count() })
    .from(schema.transfers)
    .where(eq(schema.transfers.installationId, installationId))
    .groupBy(schema.transfers.status);
  const [last] = await db
    .select({ at: max(schema.transfers.completedAt) })
    .from(schema.transfers)
    .where(
      and(eq(schema.transfers.installationId, installationId), eq(schema.transfers.status, "succeeded")),
    );
  const counts = Object.fromEntries(TRANSFER_STATUSES.map((s) => [s, 0])) as Record<TransferStatus, number>;
  for (const r of rows) counts[r.status] = r.n;
  return { counts, lastSucceededAt: last?.at ?? null };
}

/** One page of an installation's transfers, newest first, filtered. */
export async function listTransfers(installationId: string, filters: TransferFilters) {
  const db = await getDb();
  const t = schema.transfers;
  const where: SQL[] = [eq(t.installationId, installationId)];
  if (filters.kind) where.push(eq(t.kind, filters.kind));
  if (filters.status) where.push(eq(t.status, filters.status));
  if (filters.from) where.push(gte(t.createdAt, new Date(`${filters.from}T00:00:00Z`)));
  if (filters.to)
    where.push(lt(t.createdAt, new Date(new Date(`${filters.to}T00:00:00Z`).getTime() + 86_400_000)));
  if (filters.number) where.push(eq(t.sourceId, filters.number));
  const page = filters.page ?? 1;
  const rows = await db
    .select()
    .from(t)
    .where(and(...where))
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(PAGE_SIZE + 1)
    .offset((page - 1) * PAGE_SIZE);
  return { rows: rows.slice(0, PAGE_SIZE), page, hasMore: rows.length > PAGE_SIZE };
}

/** One transfer of this installation (never another's), with its attempts. */
export async function getTransfer(installationId: string, id: number) {
  if (!Number.isSafeInteger(id) || id < 1) return undefined;
  const db = await getDb();
  const [transfer] = await db
    .select()
    .from(schema.transfers)
    .where(and(eq(schema.transfers.installationId, installationId), eq(schema.transfers.id, id)));
  if (!transfer) return undefined;
  const filed = await db
    .select()
    .from(schema.transferAttempts)
    .where(eq(schema.transferAttempts.transferId, id))
    .orderBy(desc(schema.transferAttempts.attempt), desc(schema.transferAttempts.id));
  return { transfer, attempts: withOwnEnding(transfer, filed), ...(await followUpsOf(transfer)) };
}

type Attempt = typeof schema.transferAttempts.$inferSelect;
/**
 * The attempt history as shown: the filed attempts, and, for a finished transfer, the attempt that ended
 * it, which the row itself records (lib/transfers/queue/finish.ts) unless it was filed before that rule.
 */
export function withOwnEnding(transfer: typeof schema.transfers.$inferSelect, filed: Attempt[]): Attempt[] {
  const ended = transfer.status === "succeeded" || transfer.status === "cancelled";
  // No start: cancelled while waiting, or finished before rows kept their ending (filed then).
  if (!ended || !transfer.completedAt || !transfer.startedAt) return filed;
  const own: Attempt = {
    id: 0,
    transferId: transfer.id,
    attempt: transfer.attempts,
    startedAt: transfer.startedAt,
    finishedAt: transfer.completedAt,
    outcome: "succeeded",
    httpStatus: null,
    economicLogId: null,
    errorCode: transfer.errorCode,
    errorParams: transfer.errorParams,
    vendorMessage: null,
  };
  return [own, ...filed];
}

async function followUpsOf(transfer: typeof schema.transfers.$inferSelect) {
  const db = await getDb();
  // The work it asked for next (an invoice's mark as sent in Rackbeat), keyed by the same source.
  const followUps =
    transfer.kind === "customer_invoice"
      ? await db
          .select()
          .from(schema.transfers)
          .where(
            and(
              eq(schema.transfers.installationId, transfer.installationId),
              eq(schema.transfers.idempotencyKey, markAsSent.key(transfer.sourceId)),
            ),
          )
      : [];
  return { followUps };
}
