/** Helpers the bench sections share: counting calls, booking invoices in the emulator, percentiles. */
import type { Emulators } from "../emulators";
import { createInvoiceRecord } from "../emulators/rackbeat/seed";

export const economicCalls = (e: Emulators) => {
  const c = e.economic.state.counters;
  return c.get("requests.GET") + c.get("requests.POST") + c.get("requests.PUT") + c.get("requests.DELETE");
};
export const rackbeatCalls = (e: Emulators) => {
  const c = e.rackbeat.state.counters;
  return c.get("requests.GET") + c.get("requests.POST") + c.get("requests.PUT") + c.get("requests.DELETE");
};

export const percentile = (values: number[], p: number) => {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/**
 * Booked customer invoices made directly in the Rackbeat emulator's state (no webhook): a backlog of
 * thousands in milliseconds. Each has two lines on the given products.
 */
export function bookedInvoices(
  emulators: Emulators,
  accountId: number,
  count: number,
  customerId: number,
  products: string[],
): number[] {
  const account = emulators.rackbeat.state.account(accountId);
  const first = Math.max(10_000, ...account.customerInvoices.keys()) + 1;
  const numbers: number[] = [];
  for (let i = 0; i < count; i++) {
    const invoice = createInvoiceRecord(
      account,
      "customer",
      {
        customer_id: customerId,
        invoice_date: "2026-11-20",
        lines: [
          { child_id: products[i % products.length], quantity: 1 + (i % 5), line_price: 19.95 },
          { child_id: products[(i + 1) % products.length], quantity: 2, line_price: 7.5 },
        ],
      },
      first + i,
    );
    invoice.is_booked = true;
    invoice.booked_at = new Date().toISOString();
    numbers.push(invoice.number);
  }
  return numbers;
}

/** Settings that transfer booked customer invoices (booked in e-conomic), for a fresh installation. */
export async function activateDebtor(installationId: string) {
  const { findInstallation } = await import("../../lib/installations/repository");
  const { saveSettings } = await import("../../lib/settings/save");
  const { loadSettings } = await import("../../lib/settings/repository");
  const { defaultSettings } = await import("../../lib/settings/schema");
  const values = defaultSettings();
  values.debtor = { ...values.debtor, enabled: true, postInvoices: true, useActualQuantity: true };
  values.layouts = { "19": "1", "20": "2" };
  values.mappings = (await import("../helpers/settings")).demoMappings();
  const result = await saveSettings({
    installation: (await findInstallation(installationId))!,
    actor: "bench",
    values,
    expectedVersion: (await loadSettings(installationId)).version,
    activate: true,
  });
  if (!result.ok) throw new Error(`settings refused: ${JSON.stringify(result)}`);
}

/** Queues a customer-invoice transfer per number, as the webhook or the sweep would. */
export async function enqueueInvoices(installationId: string, numbers: number[]) {
  const { getDb, schema } = await import("../../db/client");
  const db = await getDb();
  for (let i = 0; i < numbers.length; i += 1000)
    await db
      .insert(schema.transfers)
      .values(
        numbers.slice(i, i + 1000).map((n) => ({
          installationId,
          kind: "customer_invoice" as const,
          sourceId: String(n),
          idempotencyKey: `customer_invoice:${n}`,
        })),
      )
      .onConflictDoNothing();
}

/** A fresh Rackbeat account and e-conomic agreement, installed through the real install path. */
export async function freshInstallation(
  emulators: Emulators,
  name: string,
  size?: { products?: number; customers?: number; suppliers?: number },
) {
  const { installViaRackbeat } = await import("../helpers/app");
  const accountId = emulators.rackbeat.state.addAccount(name).id;
  const agreementNumber = emulators.economic.state.addAgreement(name, size).agreementNumber;
  const installationId = await installViaRackbeat(emulators, accountId, agreementNumber);
  const account = emulators.rackbeat.state.account(accountId);
  const customer = [...account.customers.values()].find((c) => c.vat_zone === "domestic")!.number;
  const products = [...account.products.values()].filter((p) => /^\d+$/.test(p.number)).map((p) => p.number);
  return { installationId, accountId, agreementNumber, customer, products };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
