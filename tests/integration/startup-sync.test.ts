import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { schema } from "@/db/client";
import { findInstallation } from "@/lib/installations/repository";
import { loadSettings } from "@/lib/settings/repository";
import { saveSettings } from "@/lib/settings/save";
import { defaultSettings } from "@/lib/settings/schema";
import { startupSyncStatus } from "@/lib/sync/status";
import { enqueue } from "@/lib/transfers/queue";
import { runOutbox } from "@/lib/transfers/worker";
import { installViaRackbeat, withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";

/**
 * The one-time start-up synchronization, e-conomic → Rackbeat, at the size the issue names: 10,000
 * products, 2,000 customers and 500 suppliers, through both emulators over HTTP, with a lost answer
 * in the middle of it and runs cut short by their time budget.
 */
const db = withTestDb();
const app = withApp();
let installationId: string;
let accountId: number;
let agreementNumber: number;

const rackbeat = () => app().emulators.rackbeat.state.account(accountId);
const economic = () => app().emulators.economic.state.agreement(agreementNumber);
const rackbeatCounter = (name: string) => app().emulators.rackbeat.state.counters.toJSON()[name] ?? 0;
const syncRow = async () =>
  (
    await db()
      .select()
      .from(schema.transfers)
      .where(
        and(eq(schema.transfers.installationId, installationId), eq(schema.transfers.kind, "startup_sync")),
      )
  )[0];

beforeAll(async () => {
  const rb = app().emulators.rackbeat.state.addAccount("Opstart ApS");
  const ec = app().emulators.economic.state.addAgreement("Opstart ApS", {
    products: 10_000,
    customers: 2_000,
    suppliers: 500,
  });
  accountId = rb.id;
  agreementNumber = ec.agreementNumber;
  installationId = await installViaRackbeat(app().emulators, accountId, agreementNumber);
});

describe("start-up synchronization", () => {
  it("brings 10,000 products, 2,000 customers and 500 suppliers once, resumes after a lost answer, and refuses a second run", async () => {
    const before = {
      products: new Set(rackbeat().products.keys()),
      customers: new Set([...rackbeat().customers.keys()].map(String)),
      suppliers: new Set([...rackbeat().suppliers.keys()].map(String)),
    };
    const expected = {
      products: [...economic().products.keys()].filter((n) => !before.products.has(String(n))).length,
      customers: [...economic().customers.keys()].filter((n) => !before.customers.has(String(n))).length,
      suppliers: [...economic().suppliers.keys()].filter((n) => !before.suppliers.has(String(n))).length,
    };
    const created = {
      products: rackbeatCounter("products.created"),
      customers: rackbeatCounter("customers.created"),
      suppliers: rackbeatCounter("suppliers.created"),
    };
    // Two records Rackbeat cannot take: a VAT zone with no Rackbeat counterpart, a group it refuses.
    (economic().customers.get(2500) as Record<string, unknown>).vatZone = { vatZoneNumber: 9 };
    const refusedProduct = [...economic().products.values()].find(
      (p) => !before.products.has(String(p.productNumber)),
    )!;
    refusedProduct.productGroup = { productGroupNumber: 99 };
    const webhooksBefore = app().emulators.rackbeat.state.deliveries.length;

    const current = await loadSettings(installationId);
    const saved = await saveSettings({
      installation: (await findInstallation(installationId))!,
      actor: "Bente",
      values: { ...defaultSettings(), startupSync: true },
      expectedVersion: current.version,
      activate: false,
    });
    expect(saved.ok).toBe(true);
    expect((await syncRow())!.status).toBe("pending");

    // The 5,001st product write is taken by Rackbeat, but its answer never arrives.
    await fetch(`${app().emulators.rackbeat.server.url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({
        commitThenTimeout: [{ path: "/api/products", method: "POST", after: 5000, count: 1, hangMs: 50 }],
      }),
    });
    // Short runs: each stops at a checkpoint and the next goes on from it.
    const first = await runOutbox({ budgetMs: 1_500, installationId, kinds: ["startup_sync"] });
    expect(first.continued + first.retried).toBeGreaterThanOrEqual(1);
    const partway = await startupSyncStatus(installationId);
    expect(partway.state).toBe("pending");
    expect(partway.entities.some((e) => e.done > 0)).toBe(true);

    for (let run = 0; run < 200 && (await syncRow())!.status !== "succeeded"; run++) {
      // The lost answer ends an attempt with a retry and backoff: make it due now instead of waiting.
      await db()
        .update(schema.transfers)
        .set({ runAfter: new Date() })
        .where(
          and(eq(schema.transfers.installationId, installationId), eq(schema.transfers.kind, "startup_sync")),
        );
      await runOutbox({ budgetMs: 20_000, installationId, kinds: ["startup_sync"] });
    }
    const done = (await syncRow())!;
    expect(done.status).toBe("succeeded");
    const attempts = await db()
      .select()
      .from(schema.transferAttempts)
      .where(eq(schema.transferAttempts.transferId, done.id));
    expect(attempts.some((a) => a.outcome === "retry")).toBe(true); // the lost answer
    expect(attempts.some((a) => a.outcome === "continued")).toBe(true); // a checkpoint resumed

    // Exactly the records Rackbeat did not have were created, each once (a second create would be a 422).
    expect(rackbeatCounter("products.created") - created.products).toBe(expected.products - 1);
    expect(rackbeatCounter("customers.created") - created.customers).toBe(expected.customers - 1);
    expect(rackbeatCounter("suppliers.created") - created.suppliers).toBe(expected.suppliers);
    for (const n of economic().products.keys())
      expect(rackbeat().products.has(String(n))).toBe(n !== refusedProduct.productNumber);
    // The copies carry e-conomic's data; a record Rackbeat had already was left as it was.
    const [someNumber, someProduct] = [...economic().products.entries()].find(
      ([n]) => !before.products.has(String(n)) && n !== refusedProduct.productNumber,
    )!;
    expect(rackbeat().products.get(String(someNumber))).toMatchObject({
      name: String(someProduct.name).slice(0, 255),
      group: { number: (someProduct.productGroup as { productGroupNumber: number }).productGroupNumber },
    });
    // References go by what they are, not by number: e-conomic's payment terms 4 "Netto 14 dage" is
    // Rackbeat's 3, its VAT zone 3 "EU" is Rackbeat's "eu" (economic/seed.ts and rackbeat/seed.ts).
    const euCustomer = [...economic().customers.values()].find(
      (c) =>
        !before.customers.has(String(c.customerNumber)) &&
        (c.vatZone as { vatZoneNumber: number }).vatZoneNumber === 3 &&
        (c.paymentTerms as { paymentTermsNumber: number }).paymentTermsNumber === 4,
    )!;
    expect(rackbeat().customers.get(euCustomer.customerNumber)).toMatchObject({
      vat_zone: "eu",
      payment_terms: { number: 3, name: "Netto 14 dage" },
    });

    // Nothing echoed back: every write suppressed Rackbeat's webhooks.
    expect(app().emulators.rackbeat.state.deliveries.length).toBe(webhooksBefore);
    const echoes = await db()
      .select()
      .from(schema.transfers)
      .where(and(eq(schema.transfers.installationId, installationId), eq(schema.transfers.kind, "product")));
    expect(echoes).toHaveLength(0);

    const status = await startupSyncStatus(installationId);
    const of = (entity: string) => status.entities.find((e) => e.entity === entity)!;
    for (const [entity, total] of [
      ["products", 10_000],
      ["customers", 2_000],
      ["suppliers", 500],
    ] as const) {
      expect(of(entity)).toMatchObject({ total, done: total, finished: true });
      expect(of(entity).created).toBe(expected[entity] - of(entity).failed);
      expect(of(entity).kept).toBe(total - expected[entity]);
    }
    expect(of("layouts").finished && of("product_groups").finished).toBe(true);
    // Each refusal is listed with its reason, and counted as not brought.
    expect(status.errors).toEqual([
      expect.objectContaining({
        entity: "customers",
        number: "2500",
        code: "startup_sync.unmappable",
        params: { vatZone: "9" },
      }),
      expect.objectContaining({
        entity: "products",
        number: String(refusedProduct.productNumber),
        code: "startup_sync.rackbeat_refused",
        vendorMessage: expect.stringMatching(/group/i),
      }),
    ]);
    expect(of("customers").failed).toBe(1);
    expect(of("products").failed).toBe(1);

    // Once only: the form refuses it, and so does the database, whatever the key.
    const again = await saveSettings({
      installation: (await findInstallation(installationId))!,
      actor: "Bente",
      values: { ...defaultSettings(), startupSync: false },
      expectedVersion: (await loadSettings(installationId)).version,
      activate: false,
    });
    expect(again).toMatchObject({
      ok: false,
      fieldErrors: { startupSync: { code: "settings.startup_sync_once" } },
    });
    await expect(
      // Another key for the same kind: the database's one-per-installation index still refuses it.
      enqueue(
        db(),
        { kind: "startup_sync", key: () => "startup_sync:again" },
        { installationId, sourceId: "again" },
      ),
    ).rejects.toThrow();
  }, 240_000);
});
