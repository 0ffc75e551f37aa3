import { alertEmail } from "@/lib/alerts/kind";
import { startupSync } from "@/lib/sync/run";
import { customerInvoice } from "./kinds/customer-invoice";
import { economicOrder } from "./kinds/economic-order";
import type { TransferDefinition } from "./kinds/define";
import { inventoryValue } from "./kinds/inventory-value";
import { markAsSent } from "./kinds/mark-as-sent";
import { customer, product, supplier } from "./kinds/master-records";
import { supplierInvoice } from "./kinds/supplier-invoice";

/** Every kind of transfer, one line each (lib/transfers/kinds/define.ts says what a kind is). */
export const TRANSFERS = [
  customerInvoice,
  supplierInvoice,
  product,
  customer,
  supplier,
  inventoryValue,
  startupSync,
  markAsSent,
  economicOrder,
  alertEmail,
] as const;

export type TransferKind = (typeof TRANSFERS)[number]["kind"];
export const TRANSFER_KINDS = TRANSFERS.map((d) => d.kind) as TransferKind[];
/** Kinds that need neither service and so run while an installation is paused (alerts). */
export const WHILE_PAUSED_KINDS = TRANSFERS.filter(
  (d) => (d as { runsWhilePaused?: boolean }).runsWhilePaused,
).map((d) => d.kind) as TransferKind[];

const byKind = new Map<string, TransferDefinition>(
  TRANSFERS.map((d) => [d.kind, d as unknown as TransferDefinition]),
);
/** The definition of a kind, or undefined for a kind this version does not know (a newer one queued it). */
export const transferDefinitionOf = (kind: string): TransferDefinition | undefined => byKind.get(kind);
