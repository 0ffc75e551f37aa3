/** Transfer figures: e-conomic calls per invoice, backlog drain against the rate limit, fairness. */
import type { Emulators } from "../emulators";
import {
  activateDebtor,
  bookedInvoices,
  economicCalls,
  enqueueInvoices,
  freshInstallation,
  rackbeatCalls,
  sleep,
} from "./shared";

async function drain(installationId?: string) {
  const { runOutbox } = await import("../../lib/transfers/worker");
  let runs = 0;
  for (;;) {
    runs++;
    const s = await runOutbox({ budgetMs: 45_000, installationId });
    if (!s.claimed) return runs;
  }
}

/** e-conomic calls per booked customer invoice: first contact (new customer, new products) and steady state. */
export async function callsPerInvoice(emulators: Emulators) {
  // An agreement with no customers or products yet: first contact means new to e-conomic.
  const { installationId, accountId, customer, products } = await freshInstallation(
    emulators,
    "Bench calls",
    {
      customers: 0,
      products: 0,
      suppliers: 0,
    },
  );
  await activateDebtor(installationId);
  const measure = async (numbers: number[]) => {
    const [e, r] = [economicCalls(emulators), rackbeatCalls(emulators)];
    await enqueueInvoices(installationId, numbers);
    await drain(installationId);
    return {
      economic: (economicCalls(emulators) - e) / numbers.length,
      rackbeat: (rackbeatCalls(emulators) - r) / numbers.length,
    };
  };
  // First contact: each invoice brings a customer and two products e-conomic has not seen.
  const account = emulators.rackbeat.state.account(accountId);
  const customers = [...account.customers.values()].map((c) => c.number);
  const firsts: number[] = [];
  for (let i = 0; i < 10; i++)
    firsts.push(
      ...bookedInvoices(emulators, accountId, 1, customers[i], [products[2 * i], products[2 * i + 1]]),
    );
  const first = await measure(firsts);
  const steady = await measure(bookedInvoices(emulators, accountId, 100, customer, products.slice(0, 2)));
  // First contact with records e-conomic already has (made there by hand): the create is refused, then
  // the record is read and updated.
  const held = await freshInstallation(emulators, "Bench calls held");
  await activateDebtor(held.installationId);
  const heldCustomers = [...emulators.rackbeat.state.account(held.accountId).customers.values()].map(
    (c) => c.number,
  );
  const [e0] = [economicCalls(emulators)];
  const heldInvoices: number[] = [];
  for (let i = 0; i < 5; i++)
    heldInvoices.push(
      ...bookedInvoices(emulators, held.accountId, 1, heldCustomers[i], [
        held.products[2 * i],
        held.products[2 * i + 1],
      ]),
    );
  await enqueueInvoices(held.installationId, heldInvoices);
  await drain(held.installationId);
  const existing = { economic: (economicCalls(emulators) - e0) / heldInvoices.length };
  return { first, steady, existing };
}

/**
 * A backlog of booked invoices (customer and products known) with every e-conomic call taking
 * `latencyMs`: invoices per second achieved, against the most the per-installation concurrency allows.
 */
export async function backlogDrain(emulators: Emulators, invoices: number, latencyMs = 150) {
  const { OUTBOX } = await import("../../lib/transfers/queue");
  const { installationId, accountId, customer, products } = await freshInstallation(
    emulators,
    "Bench backlog",
  );
  await activateDebtor(installationId);
  await enqueueInvoices(
    installationId,
    bookedInvoices(emulators, accountId, 1, customer, products.slice(0, 2)),
  );
  await drain(installationId); // warm: customer and products now known
  const numbers = bookedInvoices(emulators, accountId, invoices, customer, products.slice(0, 2));
  await enqueueInvoices(installationId, numbers);
  emulators.economic.state.faults.latencyMs = latencyMs;
  const calls = economicCalls(emulators);
  const started = performance.now();
  const runs = await drain(installationId);
  const seconds = (performance.now() - started) / 1000;
  emulators.economic.state.faults.latencyMs = 0;
  const callsPerInvoice = (economicCalls(emulators) - calls) / invoices;
  const perSecond = invoices / seconds;
  const limit = OUTBOX.perInstallationConcurrency / (callsPerInvoice * (latencyMs / 1000));
  return {
    invoices,
    latencyMs,
    seconds,
    runs,
    perSecond,
    callsPerInvoice,
    limit,
    concurrency: OUTBOX.perInstallationConcurrency,
  };
}

/**
 * One installation with a backlog of `backlog` booked invoices, another with one: how long the single
 * invoice waits when both are due at once, with e-conomic at `latencyMs` a call. One cron run = one
 * runOutbox with the cron's 45 s budget.
 */
export async function fairness(emulators: Emulators, backlog: number, latencyMs = 150) {
  const { getDb, schema } = await import("../../db/client");
  const { and, eq } = await import("drizzle-orm");
  const { runOutbox } = await import("../../lib/transfers/worker");
  const big = await freshInstallation(emulators, "Bench backlog owner");
  const small = await freshInstallation(emulators, "Bench single invoice");
  await activateDebtor(big.installationId);
  await activateDebtor(small.installationId);
  await enqueueInvoices(
    big.installationId,
    bookedInvoices(emulators, big.accountId, backlog, big.customer, big.products.slice(0, 2)),
  );
  const [single] = bookedInvoices(emulators, small.accountId, 1, small.customer, small.products.slice(0, 2));
  await enqueueInvoices(small.installationId, [single]);
  emulators.economic.state.faults.latencyMs = latencyMs;
  const db = await getDb();
  const started = performance.now();
  // One cron run over every installation; the single invoice is watched while it works.
  const run = runOutbox({ budgetMs: 15_000 });
  let waitedMs = Number.NaN;
  while (Number.isNaN(waitedMs) && performance.now() - started < 15_000) {
    const [row] = await db
      .select({ status: schema.transfers.status })
      .from(schema.transfers)
      .where(
        and(
          eq(schema.transfers.installationId, small.installationId),
          eq(schema.transfers.idempotencyKey, `customer_invoice:${single}`),
        ),
      );
    if (row?.status === "succeeded") waitedMs = performance.now() - started;
    else await sleep(20);
  }
  const summary = await run;
  emulators.economic.state.faults.latencyMs = 0;
  // The rest of the backlog is left to the next bench sections' cleanup: cancel it.
  await db
    .update(schema.transfers)
    .set({ status: "cancelled" })
    .where(
      and(eq(schema.transfers.installationId, big.installationId), eq(schema.transfers.status, "pending")),
    );
  return {
    backlog,
    latencyMs,
    waitedSeconds: waitedMs / 1000,
    inFirstRun: !Number.isNaN(waitedMs),
    bigDoneInRun: summary.succeeded,
  };
}
