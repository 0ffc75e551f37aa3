import { randomUUID } from "node:crypto";
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
import {
  claim,
  claimWhilePaused,
  retryTransient,
  finish,
  finishAndClaim,
  givesUp,
  OUTBOX,
  type AttemptResult,
  type ClaimInput,
  type Finish,
  type Transfer,
} from "./queue";
import { TRANSFER_KINDS, transferDefinitionOf, WHILE_PAUSED_KINDS, type TransferKind } from "./registry";

const MIN_CONTINUE_MS = 20_000;
/** A finished attempt waits at most this long for the rest of its batch, to be recorded with the next claim. */
const FINISH_WAIT_MS = 200;

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
 * Works through due transfers until none is due or the time budget is spent: claims a fair batch, runs
 * it (at most the per-installation cap of each installation at once, enforced by the claim), and records
 * each outcome while still holding the lease. The outcomes of a batch are recorded together with the
 * claim of the next one, in one statement; an attempt that finishes long before the rest of its batch is
 * recorded on its own, so its status never waits on a slow neighbour. Safe to run in several processes.
 */
export async function runOutbox(input: {
  budgetMs: number;
  batch?: number;
  installationId?: string;
  /** Only these kinds (default: every registered kind). */
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
  // A long transfer that stopped at a checkpoint is taken up again in this run only while a useful
  // stretch of time is left; otherwise the next run goes on with it.
  const setAside: number[] = [];
  const claimInput = (): ClaimInput => ({
    owner,
    limit: input.batch ?? 16,
    installationId: input.installationId,
    kinds: input.kinds ?? TRANSFER_KINDS,
    excludeIds: setAside,
  });
  const count = (item: Finish, held: boolean) => {
    const { result } = item;
    if (!held) summary.lostLease++;
    else if (result.outcome === "succeeded") summary.succeeded++;
    else if (result.outcome === "skipped") summary.skipped++;
    else if (result.outcome === "paused") summary.paused++;
    else if (result.outcome === "continued") {
      summary.continued++;
      if (deadline - Date.now() < MIN_CONTINUE_MS) setAside.push(item.transfer.id);
    } else if (givesUp(item.transfer, result, item.retry)) summary.failed++;
    else summary.retried++;
  };

  // Alerts of paused installations first (few, and the main claim passes those installations by).
  const whilePaused = WHILE_PAUSED_KINDS.filter((k) => (input.kinds ?? TRANSFER_KINDS).includes(k));
  let batch = [
    ...(await retryTransient("claim-while-paused", () =>
      claimWhilePaused({
        owner,
        limit: input.batch ?? 16,
        installationId: input.installationId,
        kinds: whilePaused,
      }),
    )),
    ...(await retryTransient("claim", () => claim(claimInput()))),
  ];
  while (batch.length) {
    summary.claimed += batch.length;
    const context: BatchContext = new Map();
    const waiting = new EarlyFinishes(count);
    let running = batch.length;
    await Promise.all(
      batch.map(async (transfer) => {
        const startedAt = new Date();
        // Stop well inside the lease (a longer attempt would lose its row) and the caller's budget.
        const leaseEnd = startedAt.getTime() + (OUTBOX.leaseSeconds - 15) * 1000;
        const result = await attemptTransfer(transfer, Math.min(deadline, leaseEnd), context);
        const retry = transferDefinitionOf(transfer.kind)?.retry;
        waiting.add({ transfer, owner, result, startedAt, retry }, --running > 0);
      }),
    );
    const rest = await waiting.settle();
    if (Date.now() >= deadline) {
      const held = await retryTransient("finish", () => finish(rest));
      rest.forEach((item, i) => count(item, held[i]));
      break;
    }
    const next = await retryTransient("finish-and-claim", () => finishAndClaim(rest, claimInput()));
    rest.forEach((item, i) => count(item, next.held[i]));
    batch = next.claimed;
    if (!batch.length && next.dueAgain) batch = await retryTransient("claim", () => claim(claimInput()));
  }
  return summary;
}

/**
 * The finished attempts of one batch: kept for the next claim's statement while the rest of the batch
 * runs, unless that takes longer than FINISH_WAIT_MS, in which case they are recorded on their own.
 */
class EarlyFinishes {
  private items: Finish[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void>[] = [];
  constructor(private readonly count: (item: Finish, held: boolean) => void) {}

  add(item: Finish, othersRunning: boolean) {
    this.items.push(item);
    if (othersRunning && !this.timer) this.timer = setTimeout(() => this.flush(), FINISH_WAIT_MS);
  }

  private flush() {
    this.timer = undefined;
    const taken = this.items;
    this.items = [];
    if (!taken.length) return;
    this.flushing.push(finish(taken).then((held) => taken.forEach((item, i) => this.count(item, held[i]))));
  }

  /** Waits for early records, and hands over what is left for the next statement. */
  async settle(): Promise<Finish[]> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all(this.flushing);
    return this.items;
  }
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
    const definition = transferDefinitionOf(transfer.kind);
    const grant = installation && economicGrantOf(installation);
    const token = installation && rackbeatTokenOf(installation);
    const needsAccess = !definition?.runsWhilePaused;
    if (!installation || !settings || (needsAccess && (!grant || !token)))
      return { outcome: "paused", message: message("transfer.economic_access_revoked") };
    // Claims take registered kinds only; a row of a kind this version lacks is left as it is.
    if (!definition) throw skip(message("transfer.internal", { reference: `kind ${transfer.kind}` }));
    if (!settings.activatedAt && !definition.runsBeforeActivation)
      throw skip(message("transfer.part_not_active", { part: "all" }));
    const result = await definition.run(
      {
        transfer,
        installation,
        settings: settings.values,
        settingsVersion: settings.version,
        economic: new EconomicClient(grant ?? ""),
        rackbeat: new RackbeatClient(token ?? ""),
        mayExist: transfer.attemptsTotal > 1,
        deadline,
      },
      definition.payload.parse(transfer.payload),
    );
    if (result.outcome === "continued") log.info({ event: "transfer.continued" });
    else log.info({ event: "transfer.succeeded", economicReference: result.economicReference });
    return result;
  } catch (error) {
    const result = classify(error);
    if (result.outcome === "paused" && result.message.code === "transfer.economic_access_revoked")
      await markEconomicRevoked(transfer.installationId, { transferId: transfer.id });
    if (result.outcome === "paused" && result.message.code === "transfer.rackbeat_access_revoked")
      await markRackbeatRevoked(transfer.installationId, { transferId: transfer.id });
    log.warn({
      event: `transfer.${result.outcome}`,
      code: result.message.code,
      ...("fault" in result && result.fault ? { reference: result.message.params?.reference } : {}),
      ...errorFields(error),
    });
    return result;
  }
}
