import { and, eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { schema } from "@/db/client";
import { findInstallation, rackbeatTokenOf } from "@/lib/installations/repository";
import { scanSentOrders } from "@/lib/orders/scan";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { loadSettings } from "@/lib/settings/repository";
import { saveSettings } from "@/lib/settings/save";
import { defaultSettings, matrixKey } from "@/lib/settings/schema";
import { runOutbox } from "@/lib/transfers/worker";
import { makeOrder, type Order } from "@/tests/emulators/economic/routes-orders";
import { installViaRackbeat, withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";
import { demoMappings } from "@/tests/helpers/settings";

/**
 * Orders from e-conomic under faults: e-conomic 503s and 429s on the reads, Rackbeat 502s, and Rackbeat
 * creating orders and customers without the answer arriving (the write is done, the socket dies). Then
 * every sent order is in Rackbeat exactly once, with e-conomic's net to the øre. CHAOS_ORDERS (default
 * 200) and CHAOS_SEED set the size and the schedule.
 */
const db = withTestDb();
const app = withApp();
const ORDERS = Number(process.env.CHAOS_ORDERS ?? 200);
const SEED = Number(process.env.CHAOS_SEED ?? 20261206);
let installationId: string;
let accountId: number;
let agreementNumber: number;

beforeAll(async () => {
  const rb = app().emulators.rackbeat.state.addAccount("Ordrekaos ApS");
  const ec = app().emulators.economic.state.addAgreement("Ordrekaos ApS");
  accountId = rb.id;
  agreementNumber = ec.agreementNumber;
  installationId = await installViaRackbeat(app().emulators, accountId, agreementNumber);
  const values = defaultSettings();
  values.mappings = demoMappings();
  values.debtor = { ...values.debtor, enabled: true, postInvoices: true, emptyLineProduct: "PRODUKT" };
  values.accounting = { standardAccount: "1310", matrix: { [matrixKey(1, 1)]: "1310" } };
  values.layouts = { "19": "1", "20": "2" };
  const saved = await saveSettings({
    installation: (await findInstallation(installationId))!,
    actor: "chaos",
    values,
    expectedVersion: (await loadSettings(installationId)).version,
    activate: true,
  });
  if (!saved.ok) throw new Error(JSON.stringify(saved));
});

describe("orders from e-conomic under faults", () => {
  it(`${ORDERS} sent orders, seed ${SEED}: each in Rackbeat once, nets equal to the øre`, async () => {
    const rand = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { seed: SEED, numRuns: 20_000 });
    let r = 0;
    const random = () => rand[r++ % rand.length] / 2 ** 31;
    const emulators = app().emulators;
    const account = emulators.rackbeat.state.account(accountId);
    const agreement = emulators.economic.state.agreement(agreementNumber);
    const rackbeat = new RackbeatClient(rackbeatTokenOf((await findInstallation(installationId))!)!);
    const products = [...agreement.products.keys()].slice(0, 6);
    for (const number of products.filter((n) => !account.products.has(n)))
      await rackbeat.request("/products", { method: "POST", body: { number, name: `Vare ${number}` } });
    const customers = [...agreement.customers.keys()].filter((n) => account.customers.has(n)).slice(0, 10);
    let nextCustomer = Math.max(...agreement.customers.keys(), ...account.customers.keys()) + 1;

    const orders: Order[] = [];
    for (let i = 0; i < ORDERS; i++) {
      let customer = customers[Math.floor(random() * customers.length)];
      // Now and then a customer made in e-conomic after the start-up synchronization.
      if (random() < 0.03) {
        customer = nextCustomer++;
        agreement.customers.set(customer, {
          ...agreement.customers.get(customers[0])!,
          customerNumber: customer,
          name: `Ny Kunde ${customer}`,
        });
      }
      const lines = Array.from({ length: 1 + Math.floor(random() * 4) }, () => ({
        product: { productNumber: products[Math.floor(random() * products.length)] },
        description: "Vare",
        quantity: Math.round(random() * 2000) / 100 + 0.01,
        unitNetPrice: Math.round(random() * 100_000) / 100,
        ...(random() < 0.3 ? { discountPercentage: Math.round(random() * 5000) / 100 } : {}),
      }));
      const extra = [
        ...(random() < 0.2 ? [{ description: "Fragt", quantity: 1, unitNetPrice: 79.5 }] : []),
        ...(random() < 0.2 ? [{ description: "Leveres til lager 2" }] : []),
      ];
      orders.push(
        makeOrder(
          agreement,
          {
            date: "2026-12-04",
            currency: random() < 0.15 ? "EUR" : "DKK",
            customer: { customerNumber: customer },
            layout: { layoutNumber: 19 },
            paymentTerms: { paymentTermsNumber: 2 },
            recipient: { name: "Modtager", vatZone: { vatZoneNumber: 1 } },
            lines: [...lines, ...extra],
          },
          "sent",
        ),
      );
    }

    const faults = (url: string, body: object) =>
      fetch(`${url}/__control/faults`, { method: "PUT", body: JSON.stringify(body) });
    await faults(emulators.economic.server.url, {
      failures: [{ method: "GET", status: 503, rate: 0.08 }],
      rateLimits: [{ rate: 0.04, retryAfterSeconds: 1 }],
    });
    await faults(emulators.rackbeat.server.url, {
      failures: [{ path: "/api/", status: 502, rate: 0.04 }],
      commitThenTimeout: [
        { path: "/api/orders", method: "POST", rate: 0.08, hangMs: 20 },
        { path: "/api/customers", method: "POST", rate: 0.3, hangMs: 20 },
      ],
    });
    const open = async () =>
      (
        await db()
          .select({ n: sql<number>`count(*)::int` })
          .from(schema.transfers)
          .where(
            and(eq(schema.transfers.installationId, installationId), sql`status in ('pending', 'running')`),
          )
      )[0].n;
    for (let round = 0; round < 80; round++) {
      await scanSentOrders();
      await runOutbox({ budgetMs: 15_000, installationId, kinds: ["economic_order"] });
      // Time passes: retries fall due.
      await db()
        .update(schema.transfers)
        .set({ runAfter: sql`now()` })
        .where(eq(schema.transfers.installationId, installationId));
      if (round > 2 && (await open()) === 0) break;
    }
    await fetch(`${emulators.economic.server.url}/__control/faults`, { method: "DELETE" });
    await fetch(`${emulators.rackbeat.server.url}/__control/faults`, { method: "DELETE" });

    const byReference = new Map<string, number[]>();
    for (const o of account.orders.values())
      byReference.set(String(o.our_reference), [
        ...(byReference.get(String(o.our_reference)) ?? []),
        o.number,
      ]);
    const duplicates = orders.filter(
      (o) => (byReference.get(`e-conomic order ${o.orderNumber}`) ?? []).length > 1,
    );
    const missing = orders.filter((o) => !byReference.has(`e-conomic order ${o.orderNumber}`));
    const wrongTotal = orders.filter((o) => {
      const [n] = byReference.get(`e-conomic order ${o.orderNumber}`) ?? [];
      const rb = n === undefined ? undefined : account.orders.get(n);
      return rb && (rb.total_subtotal !== o.netAmount || rb.currency !== o.currency);
    });
    const rows = await db()
      .select({ status: schema.transfers.status, n: sql<number>`count(*)::int` })
      .from(schema.transfers)
      .where(
        and(eq(schema.transfers.installationId, installationId), eq(schema.transfers.kind, "economic_order")),
      )
      .groupBy(schema.transfers.status);
    console.log(
      `orders chaos: ${orders.length} orders, transfers ${JSON.stringify(rows)}, ` +
        `${duplicates.length} duplicates, ${missing.length} missing, ${wrongTotal.length} wrong totals`,
    );
    const failed = await db()
      .select({
        key: schema.transfers.idempotencyKey,
        code: schema.transfers.errorCode,
        params: schema.transfers.errorParams,
        vendor: schema.transfers.vendorMessage,
      })
      .from(schema.transfers)
      .where(and(eq(schema.transfers.installationId, installationId), sql`status <> 'succeeded'`));
    expect(failed).toEqual([]);
    expect(duplicates.map((o) => o.orderNumber)).toEqual([]);
    expect(missing.map((o) => o.orderNumber)).toEqual([]);
    expect(wrongTotal.map((o) => o.orderNumber)).toEqual([]);
    expect(rows).toEqual([{ status: "succeeded", n: orders.length }]);
  });
});
