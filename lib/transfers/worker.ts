import { randomUUID } from "node:crypto";
import type { TransferKind } from "@/db/vocabulary";
import { EconomicClient } from "@/lib/economic/client";
import { markEconomicRevoked, markRackbeatRevoked } from "@/lib/installations/lifecycle";
import {
  economicGrantOf,
  findInstallation,
  rackbeatTokenOf,
  type Installation,
} from "@/lib/installations/repository";
import { errorFields, logger } from "@/lib/log";
import { message } from "@/lib/messages";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { loadSettings, type StoredSettings } from "@/lib/settings/repository";
import { classify, skip } from "./failure";
import type { Continued, Succeeded, TransferContext } from "./kinds/context";
import { transferCustomerInvoice } from "./kinds/customer-invoice";
import { transferInventoryValue } from "./kinds/inventory-value";
import { transferStartupSync } from "@/lib/sync/run";
import { transferCustomer, transferProduct, transferSupplier } from "./kinds/master-records";
import { transferSupplierInvoice } from "./kinds/supplier-invoice";
import {
  claimDue,
  finishAttempts,
  givesUp,
  OUTBOX,
  type AttemptResult,
  type Finish,
  type Transfer,
} from "./outbox";

const MIN_CONTINUE_MS = 20_000;

/** The kinds this worker carries out, each by its processor. */
const PROCESSORS: Partial<Record<TransferKind, (ctx: TransferContext) => Promise<Succeeded | Continued>>> = {
  customer_invoice: transferCustomerInvoice,
  supplier_invoice: transferSupplierInvoice,
  product: transferProduct,
  customer: transferCustomer,
  supplier: transferSupplier,
  inventory_value: transferInventoryValue,
  startup_sync: transferStartupSync,
};
export const PROCESSED_KINDS = Object.keys(PROCESSORS) as TransferKind[];

export type RunSummary = {
  claimed: number;
  succeeded: number;
  retried: number;
  failed: number;
  skipped: number;
  paused: number;
  continued: number;
  lostLease: number;
};

/**
 * Works through due transfers until none is due or the time budget is spent: claims a fair batch,
 * runs it (at most the per-installation cap of each installation at once, enforced by the claim), and
 * records each outcome while still holding the lease. Safe to run in several processes at once.
 */
export async function runOutbox(input: {
  budgetMs: number;
  batch?: number;
  installationId?: string;
  /** Only these kinds (default: every kind this worker carries out). */
  kinds?: readonly TransferKind[];
}): Promise<RunSummary> {
  const owner = `worker-${randomUUID()}`;
  const deadline = Date.now() + input.budgetMs;
  const summary: RunSummary = {
    claimed: 0,
    succeeded: 0,
    retried: 0,
    failed: 0,
    skipped: 0,
    paused: 0,
    continued: 0,
    lostLease: 0,
  };
  const finish = coalescingFinisher();
  // A long transfer that stopped at a checkpoint is taken up again in this run only while a useful
  // stretch of time is left; otherwise the next run goes on with it (it would spend a sliver of time
  // re-reading where it was).
  const setAside: number[] = [];
  while (Date.now() < deadline) {
    const batch = await claimDue({
      owner,
      limit: input.batch ?? 16,
      installationId: input.installationId,
      kinds: input.kinds ?? PROCESSED_KINDS,
      excludeIds: setAside,
    });
    if (!batch.length) break;
    summary.claimed += batch.length;
    const context: BatchContext = new Map();
    await Promise.all(
      batch.map(async (transfer) => {
        const startedAt = new Date();
        // Stop well inside the lease (a longer attempt would lose its row) and the caller's budget.
        const leaseEnd = startedAt.getTime() + (OUTBOX.leaseSeconds - 15) * 1000;
        const result = await attemptTransfer(transfer, Math.min(deadline, leaseEnd), context);
        const held = await finish({ transfer, owner, result, startedAt });
        if (!held) summary.lostLease++;
        else if (result.outcome === "succeeded") summary.succeeded++;
        else if (result.outcome === "skipped") summary.skipped++;
        else if (result.outcome === "paused") summary.paused++;
        else if (result.outcome === "continued") {
          summary.continued++;
          if (deadline - Date.now() < MIN_CONTINUE_MS) setAside.push(transfer.id);
        } else if (givesUp(transfer, result)) summary.failed++;
        else summary.retried++;
      }),
    );
  }
  return summary;
}

/**
 * Records finished attempts, those that finish together in one statement: a batch whose transfers end
 * at the same moment (cheap ones, or a fault that fails them all) costs one round trip, not one each.
 */
function coalescingFinisher(): (item: Finish) => Promise<boolean> {
  let pending: { item: Finish; resolve: (held: boolean) => void; reject: (e: unknown) => void }[] = [];
  const flush = async () => {
    const taken = pending;
    pending = [];
    try {
      const held = await finishAttempts(taken.map((p) => p.item));
      taken.forEach((p, i) => p.resolve(held[i]));
    } catch (error) {
      taken.forEach((p) => p.reject(error));
    }
  };
  return (item) =>
    new Promise<boolean>((resolve, reject) => {
      if (!pending.length) setImmediate(() => void flush());
      pending.push({ item, resolve, reject });
    });
}

type Context = { installation: Installation | undefined; settings: StoredSettings | undefined };
/** The installations and settings of one claimed batch, read once per installation, not once per row. */
export type BatchContext = Map<string, Promise<Context>>;

function contextOf(installationId: string, batch: BatchContext | undefined): Promise<Context> {
  const load = async (): Promise<Context> => {
    const installation = await findInstallation(installationId);
    return { installation, settings: installation ? await loadSettings(installation.id) : undefined };
  };
  if (!batch) return load();
  let found = batch.get(installationId);
  if (!found) batch.set(installationId, (found = load()));
  return found;
}

/** One attempt at one transfer: never throws; every outcome is an AttemptResult. */
export async function attemptTransfer(
  transfer: Transfer,
  deadline: number,
  batch?: BatchContext,
): Promise<AttemptResult> {
  const log = logger().child({
    installationId: transfer.installationId,
    transferId: transfer.id,
    kind: transfer.kind,
  });
  try {
    const { installation, settings } = await contextOf(transfer.installationId, batch);
    const grant = installation && economicGrantOf(installation);
    const token = installation && rackbeatTokenOf(installation);
    if (!installation || !settings || !grant || !token)
      return { outcome: "paused", message: message("transfer.economic_access_revoked") };
    // The start-up sync fills Rackbeat before anything is transferred: it runs once chosen, active or not.
    if (!settings.activatedAt && transfer.kind !== "startup_sync")
      throw skip(message("transfer.part_not_active", { part: "all" }));
    const process = PROCESSORS[transfer.kind];
    if (!process) throw skip(message("transfer.internal"));
    const result = await process({
      transfer,
      installation,
      settings: settings.values,
      settingsVersion: settings.version,
      economic: new EconomicClient(grant),
      rackbeat: new RackbeatClient(token),
      mayExist: transfer.attempts > 1,
      deadline,
    });
    if (result.outcome === "continued") log.info({ event: "transfer.continued" });
    else log.info({ event: "transfer.succeeded", economicReference: result.economicReference });
    return result;
  } catch (error) {
    const result = classify(error);
    if (result.outcome === "paused" && result.message.code === "transfer.economic_access_revoked")
      await markEconomicRevoked(transfer.installationId, { transferId: transfer.id });
    if (result.outcome === "paused" && result.message.code === "transfer.rackbeat_access_revoked")
      await markRackbeatRevoked(transfer.installationId, { transferId: transfer.id });
    log.warn({ event: `transfer.${result.outcome}`, code: result.message.code, ...errorFields(error) });
    return result;
  }
}
