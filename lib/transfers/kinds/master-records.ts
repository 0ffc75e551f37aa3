import { z } from "zod";
import { message } from "@/lib/messages";
import { skip } from "../failure";
import { economicCustomer, economicProduct, economicSupplier } from "../mapping/master-records";
import {
  readRackbeat,
  type RackbeatCustomer,
  type RackbeatProduct,
  type RackbeatSupplier,
} from "../rackbeat-records";
import { ensureRecord } from "../record-sync";
import { agreementCountryOf, recordSyncOf, type Succeeded, type TransferContext } from "./context";
import { defineTransfer } from "./define";

/** A product created or changed in Rackbeat → the same product in e-conomic (skipped when nothing changed). */
export async function transferProduct(ctx: TransferContext): Promise<Succeeded> {
  const product = await readRackbeat<RackbeatProduct>(ctx.rackbeat, "product", ctx.transfer.sourceId);
  const done = await ensureRecord(recordSyncOf(ctx), economicProduct(product, ctx.settings));
  return {
    outcome: "succeeded",
    economicReference: `product:${product.number}`,
    settingsVersion: ctx.settingsVersion,
    payload: { done },
  };
}

/** A customer → e-conomic, when the debtor integration is on. */
export async function transferCustomer(ctx: TransferContext): Promise<Succeeded> {
  if (!ctx.settings.debtor.enabled) throw skip(message("transfer.part_not_active", { part: "debtor" }));
  const customer = await readRackbeat<RackbeatCustomer>(ctx.rackbeat, "customer", ctx.transfer.sourceId);
  const done = await ensureRecord(
    recordSyncOf(ctx),
    economicCustomer(customer, ctx.settings, await agreementCountryOf(ctx)),
  );
  return {
    outcome: "succeeded",
    economicReference: `customer:${customer.number}`,
    settingsVersion: ctx.settingsVersion,
    payload: { done },
  };
}

/** A supplier → e-conomic, when the creditor integration is on. */
export async function transferSupplier(ctx: TransferContext): Promise<Succeeded> {
  if (!ctx.settings.creditor.enabled) throw skip(message("transfer.part_not_active", { part: "creditor" }));
  const supplier = await readRackbeat<RackbeatSupplier>(ctx.rackbeat, "supplier", ctx.transfer.sourceId);
  const done = await ensureRecord(recordSyncOf(ctx), economicSupplier(supplier, ctx.settings));
  return {
    outcome: "succeeded",
    economicReference: `supplier:${supplier.number}`,
    settingsVersion: ctx.settingsVersion,
    payload: { done },
  };
}

/** Master data is transferred again each time it changes in Rackbeat (`repeatable`). */
export const product = defineTransfer({
  kind: "product",
  key: (number) => `product:${number}`,
  payload: z.looseObject({}),
  repeatable: true,
  run: transferProduct,
});
export const customer = defineTransfer({
  kind: "customer",
  key: (number) => `customer:${number}`,
  payload: z.looseObject({}),
  repeatable: true,
  run: transferCustomer,
});
export const supplier = defineTransfer({
  kind: "supplier",
  key: (number) => `supplier:${number}`,
  payload: z.looseObject({}),
  repeatable: true,
  run: transferSupplier,
});
