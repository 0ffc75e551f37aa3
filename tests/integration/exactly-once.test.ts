import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { schema } from "@/db/client";
import { findInstallation, rackbeatTokenOf } from "@/lib/installations/repository";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { loadSettings } from "@/lib/settings/repository";
import { saveSettings } from "@/lib/settings/save";
import { defaultSettings } from "@/lib/settings/schema";
import { requestManualInvoiceTransfer } from "@/lib/transfers/manual";
import { runOutbox } from "@/lib/transfers/worker";
import { installViaRackbeat, withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";
import { demoMappings } from "@/tests/helpers/settings";

/**
 * Exactly once, under everything at once: 8 workers, every webhook delivered three times, manual
 * transfers fired while the workers run, e-conomic answering 10 % of writes with a 5xx and committing
 * 2 % of writes without answering. On real Postgres (CI) with 500 invoices; on PGlite with fewer.
 */
const db = withTestDb();
const app = withApp();
const INVOICES = process.env.DATABASE_URL ? 500 : 60;
const WORKERS = 8;
let installationId: string;
let accountId: number;
let agreementNumber: number;

beforeAll(async () => {
  const rb = app().emulators.rackbeat.state.addAccount("Exactly Once ApS");
  const ec = app().emulators.economic.state.addAgreement("Exactly Once ApS");
  accountId = rb.id;
  agreementNumber = ec.agreementNumber;
  installationId = await installViaRackbeat(app().emulators, accountId, agreementNumber);
  const values = defaultSettings();
  values.mappings = demoMappings();
  values.debtor = { ...values.debtor, enabled: true, postInvoices: true, useActualQuantity: true };
  values.layouts = { "19": "1", "20": "2" };
  const result = await saveSettings({
    installation: (await findInstallation(installationId))!,
    actor: "chaos",
    values,
    expectedVersion: (await loadSettings(installationId)).version,
    activate: true,
  });
  if (!result.ok) throw new Error(JSON.stringify(result));
});

describe("exactly once", () => {
  it(`${WORKERS} workers, webhooks ×3, manual transfers, 5xx and lost answers → ${INVOICES} invoices, each once`, async () => {
    const state = app().emulators.rackbeat.state;
    const account = state.account(accountId);
    const rackbeat = new RackbeatClient(rackbeatTokenOf((await findInstallation(installationId))!)!);
    const customers = [...account.customers.values()].filter((c) => c.vat_zone === "domestic");
    const products = [...account.products.values()].filter((p) => /^\d+$/.test(p.number));
    // Webhooks would otherwise race the set-up; they are delivered (three times) below.
    for (const w of state.webhooks) if (w.accountId === accountId) w.is_active = false;
    const sources = new Map<number, number>();
    for (let i = 0; i < INVOICES; i++) {
      const lines = [
        {
          child_id: products[i % products.length].number,
          quantity: (i % 7) + 1,
          line_price: Number((10 + (i % 13) + (i % 1000) / 1000).toFixed(3)),
        },
        {
          child_id: products[(i * 7) % products.length].number,
          quantity: 1,
          line_price: 99.95,
          discount_percentage: i % 3 === 0 ? 12.5 : 0,
        },
      ];
      const { data } = await rackbeat.request<{ customer_invoice: { number: number } }>(
        "/customer-invoices",
        {
          method: "POST",
          body: { customer_id: customers[i % customers.length].number, invoice_date: "2026-11-20", lines },
        },
      );
      const { data: booked } = await rackbeat.request<{
        customer_invoice: { number: number; total_subtotal: number };
      }>(`/customer-invoices/${data.customer_invoice.number}/book`, {
        method: "POST",
        body: { suppress_webhooks: true },
      });
      sources.set(booked.customer_invoice.number, booked.customer_invoice.total_subtotal);
    }
    const hook = state.webhooks.find(
      (w) => w.accountId === accountId && w.event === "customer_invoice.booked",
    )!;
    const deliver = (number: number) =>
      fetch(`${app().appUrl}/api/webhooks/rackbeat`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Rackbeat-Webhook-Token": hook.token,
          "Rackbeat-Webhook-Event": hook.event,
          "Rackbeat-Account-Id": String(accountId),
        },
        body: JSON.stringify({ key_name: "number", key: String(number) }),
      });
    const numbers = [...sources.keys()];
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < numbers.length; i += 25) await Promise.all(numbers.slice(i, i + 25).map(deliver));

    await fetch(`${app().emulators.economic.server.url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({
        failures: [{ method: "POST", status: 503, rate: 0.1 }],
        commitThenTimeout: [{ method: "POST", rate: 0.02, hangMs: 50 }],
      }),
    });
    const installation = (await findInstallation(installationId))!;
    const manual = async () => {
      for (let i = 0; i < 40; i++)
        await requestManualInvoiceTransfer({
          installation,
          invoiceNumber: String(numbers[(i * 37) % numbers.length]),
          actor: "chaos",
        });
    };
    const pendingCount = async () =>
      (
        await db()
          .select({ n: sql<number>`count(*)::int` })
          .from(schema.transfers)
          .where(
            and(
              eq(schema.transfers.installationId, installationId),
              sql`${schema.transfers.status} in ('pending', 'running')`,
            ),
          )
      )[0].n;
    for (let round = 0; round < 30 && (round === 0 || (await pendingCount()) > 0); round++) {
      await Promise.all([
        ...Array.from({ length: WORKERS }, () => runOutbox({ budgetMs: 60_000, installationId })),
        ...(round === 0 ? [manual()] : []),
      ]);
      // Time passes: what backs off is due again (a lease a worker lost runs out, too).
      await db()
        .update(schema.transfers)
        .set({
          runAfter: sql`now()`,
          leaseUntil: sql`case when ${schema.transfers.status} = 'running' then now() - interval '1 second' else ${schema.transfers.leaseUntil} end`,
        })
        .where(eq(schema.transfers.installationId, installationId));
    }
    await fetch(`${app().emulators.economic.server.url}/__control/faults`, { method: "DELETE" });

    const rows = await db()
      .select()
      .from(schema.transfers)
      .where(eq(schema.transfers.installationId, installationId));
    const invoices = rows.filter((r) => r.kind === "customer_invoice");
    expect(invoices).toHaveLength(INVOICES);
    expect(
      invoices.filter((r) => r.status !== "succeeded").map((r) => [r.sourceId, r.status, r.errorCode]),
    ).toEqual([]);
    const booked = [...app().emulators.economic.state.agreement(agreementNumber).booked.values()];
    const byReference = new Map<string, number[]>();
    for (const b of booked) {
      const ref = (b.references as { other?: string } | undefined)?.other ?? "";
      byReference.set(ref, [...(byReference.get(ref) ?? []), b.netAmount as number]);
    }
    for (const [number, subtotal] of sources) {
      expect(byReference.get(`rackbeat-invoice:${number}`)).toEqual([subtotal]);
    }
    expect(booked).toHaveLength(INVOICES);
    // No draft left behind by a lost answer: every draft was found again and booked.
    expect(app().emulators.economic.state.agreement(agreementNumber).drafts.size).toBe(0);
  }, 300_000);
});
