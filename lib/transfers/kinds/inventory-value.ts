import { and, desc, eq, gt, inArray, lt } from "drizzle-orm";
import { z } from "zod";
import { getDb, schema } from "@/db/client";
import { inventoryVoucherText, periodsBetween, type Frequency } from "@/lib/transfers/inventory/periods";
import { message } from "@/lib/messages";
import { fromOre, toOre } from "@/lib/money";
import { UNCERTAIN } from "@/lib/uncertain";
import { fail, failOnSetting, skip, TransferFailure } from "../failure";
import type { Succeeded, TransferContext } from "./context";
import { defineTransfer } from "./define";
import { findVoucher, postVoucher } from "./vouchers";

/** What an inventory value posting records: amounts in øre as strings (exact), the period and what it covers. */
export type InventoryPayload = {
  frequency: Frequency;
  period: string;
  valueOre: string;
  previousOre: string;
  differenceOre: string;
  previousPeriod?: string;
  missedPeriods?: number;
  noVoucher?: boolean;
  found?: boolean;
};

/** The grand total in a valuation answer, in øre, if it holds one we recognise. */
export function valuationOre(answer: unknown): bigint | undefined {
  const layers = [answer, (answer as { data?: unknown } | undefined)?.data];
  for (const layer of layers) {
    if (!layer || typeof layer !== "object") continue;
    for (const field of UNCERTAIN.rackbeat.valuationTotalFields) {
      const v = (layer as Record<string, unknown>)[field];
      if (typeof v === "number" && Number.isFinite(v)) return toOre(v);
      if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) return toOre(v.trim());
    }
  }
  return undefined;
}

/**
 * The inventory value at the period's end → the difference from the value we last posted → one finance
 * voucher in the chosen day book between the inventory account and the offset account (a rise debits
 * the inventory account, a fall credits it; no change, no voucher). Postings of one installation go in
 * period order: a later one waits for an earlier one still on its way, so no change is counted twice. The
 * value posted per period is kept in its own ledger (`inventory_postings`).
 */
async function transferInventoryValue(ctx: TransferContext): Promise<Succeeded> {
  const { settings, rackbeat, installation, transfer } = ctx;
  const inventory = settings.inventory;
  if (!inventory.enabled) throw skip(message("transfer.part_not_active", { part: "inventory" }));
  for (const field of ["dayBook", "inventoryAccount", "offsetAccount"] as const)
    if (!inventory[field])
      throw failOnSetting(
        "inventory",
        message("transfer.settings_incomplete", { field: `inventory.${field}` }),
      );
  const period = transfer.sourceId;
  const frequency = ((transfer.payload as { frequency?: Frequency }).frequency ??
    inventory.frequency) as Frequency;

  const db = await getDb();
  const [earlier] = await db
    .select({ period: schema.transfers.sourceId })
    .from(schema.transfers)
    .where(
      and(
        inventoryTransfersOf(installation.id),
        lt(schema.transfers.sourceId, period),
        inArray(schema.transfers.status, ["pending", "running"]),
      ),
    )
    .limit(1);
  if (earlier)
    throw new TransferFailure({
      outcome: "retry",
      message: message("transfer.inventory_waits_for_earlier", { period: earlier.period }),
    });
  const ledger = schema.inventoryPostings;
  const mine = eq(ledger.installationId, installation.id);
  // Posted by an earlier attempt whose end was never recorded: that posting stands.
  const [already] = await db
    .select()
    .from(ledger)
    .where(and(mine, eq(ledger.period, period)));
  if (already)
    return {
      outcome: "succeeded",
      economicReference: already.economicReference ?? undefined,
      settingsVersion: ctx.settingsVersion,
      payload: { frequency, period, valueOre: String(already.valueOre), found: true },
    };
  const [later] = await db
    .select({ period: ledger.period })
    .from(ledger)
    .where(and(mine, gt(ledger.period, period)))
    .limit(1);
  if (later) throw skip(message("transfer.inventory_later_posted", { period: later.period }));
  const [last] = await db
    .select({ period: ledger.period, valueOre: ledger.valueOre })
    .from(ledger)
    .where(and(mine, lt(ledger.period, period)))
    .orderBy(desc(ledger.period))
    .limit(1);
  const previousOre = last?.valueOre ?? 0n;

  const { data } = await rackbeat.request<unknown>(
    `/reports/valuation/total?date_to=${encodeURIComponent(period)}`,
  );
  const valueOre = valuationOre(data);
  if (valueOre === undefined)
    throw fail(
      message("transfer.inventory_value_unreadable", {
        fields: UNCERTAIN.rackbeat.valuationTotalFields.join(", "),
      }),
    );
  const differenceOre = valueOre - previousOre;
  const payload: InventoryPayload = {
    frequency,
    period,
    valueOre: String(valueOre),
    previousOre: String(previousOre),
    differenceOre: String(differenceOre),
    ...(last
      ? { previousPeriod: last.period, missedPeriods: periodsBetween(last.period, period, frequency) }
      : {}),
  };
  // The ledger is written as soon as e-conomic holds the posting, before the attempt's end is recorded.
  const succeeded = async (
    economicReference?: string,
    extra: Partial<InventoryPayload> = {},
  ): Promise<Succeeded> => {
    await db
      .insert(ledger)
      .values({
        installationId: installation.id,
        period,
        frequency,
        valueOre,
        differenceOre,
        economicReference,
        transferId: transfer.id,
      })
      .onConflictDoNothing();
    return {
      outcome: "succeeded",
      economicReference,
      settingsVersion: ctx.settingsVersion,
      payload: { ...payload, ...extra },
    };
  };
  if (differenceOre === 0n) return succeeded(undefined, { noVoucher: true });

  const text = inventoryVoucherText(period, frequency);
  const dayBook = inventory.dayBook;
  const found = ctx.mayExist ? await findVoucher(ctx, dayBook, period, { text }) : undefined;
  if (found) return succeeded(found, { found: true });
  const voucher = await postVoucher(ctx, dayBook, period, {
    financeVouchers: [
      {
        // A positive amount debits `account`: a rise in value debits the inventory account.
        account: { accountNumber: Number(inventory.inventoryAccount) },
        contraAccount: { accountNumber: Number(inventory.offsetAccount) },
        amount: fromOre(differenceOre),
        date: period,
        text,
      },
    ],
  });
  return succeeded(voucher);
}

/** The transfers of one installation's inventory value postings (the queue rows, read only). */
const inventoryTransfersOf = (installationId: string) =>
  and(eq(schema.transfers.installationId, installationId), eq(schema.transfers.kind, "inventory_value"));

/** One posting per period. */
export const inventoryValue = defineTransfer({
  kind: "inventory_value",
  key: (period) => `inventory_value:${period}`,
  payload: z.looseObject({ frequency: z.enum(["daily", "weekly", "monthly"]).optional() }),
  run: transferInventoryValue,
});
