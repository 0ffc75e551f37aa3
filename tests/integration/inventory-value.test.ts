import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { schema } from "@/db/client";
import { enqueueInventoryPostings } from "@/lib/transfers/inventory/schedule";
import { findInstallation } from "@/lib/installations/repository";
import { loadSettings } from "@/lib/settings/repository";
import { saveSettings } from "@/lib/settings/save";
import { defaultSettings, type SettingsValues } from "@/lib/settings/schema";
import type { InventoryPayload } from "@/lib/transfers/kinds/inventory-value";
import { runOutbox } from "@/lib/transfers/worker";
import { installViaRackbeat, withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";
import { backdateActivation, demoMappings } from "@/tests/helpers/settings";

/**
 * Inventory value postings against both emulators: Rackbeat's valuation report at the period's end,
 * e-conomic's day book with its finance-voucher rule. Time is given to the scheduler, never waited for.
 */
const db = withTestDb();
const app = withApp();
let installationId: string;
let accountId: number;
let agreementNumber: number;

const valuation = () => app().emulators.rackbeat.state.account(accountId).valuation;
const agreement = () => app().emulators.economic.state.agreement(agreementNumber);
/** The inventory value at a day's end, in the Rackbeat emulator (value changes from that day on). */
const valueFrom = (date: string, value: number) => {
  const before = valuation()
    .movements.filter((m) => m.date < date)
    .reduce((s, m) => s + m.delta, valuation().base);
  valuation().movements = valuation().movements.filter((m) => m.date < date);
  valuation().movements.push({ date, delta: value - before });
};
type FinanceEntry = {
  journalNumber: number;
  entryType?: string;
  text?: string;
  amount?: number;
  accountNumber?: number;
  contraAccountNumber?: number;
  date?: string;
};
const vouchers = (text: string) =>
  (agreement().entries as FinanceEntry[]).filter((e) => e.journalNumber === 3 && e.text === text);
const posting = async (period: string) => {
  const [row] = await db()
    .select()
    .from(schema.transfers)
    .where(
      and(
        eq(schema.transfers.installationId, installationId),
        eq(schema.transfers.idempotencyKey, `inventory_value:${period}`),
      ),
    );
  return row;
};
/** The scheduler at 06:00 Copenhagen time the morning after `day`, then the worker. */
async function runAfter(day: string) {
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const now = new Date(`${next.toISOString().slice(0, 10)}T05:00:00Z`);
  const queued = await enqueueInventoryPostings(now);
  await runOutbox({ budgetMs: 10_000, installationId, kinds: ["inventory_value"] });
  return queued;
}

async function configure(patch: (s: SettingsValues) => void) {
  const s = defaultSettings();
  s.mappings = demoMappings();
  s.inventory = {
    enabled: true,
    frequency: "daily",
    dayBook: "3",
    inventoryAccount: "5500",
    offsetAccount: "1350",
  };
  patch(s);
  const current = await loadSettings(installationId);
  const result = await saveSettings({
    installation: (await findInstallation(installationId))!,
    actor: "Bente",
    values: s,
    expectedVersion: current.version,
    activate: true,
  });
  if (!result.ok) throw new Error(`settings refused: ${JSON.stringify(result)}`);
  // Switched on at the start of the year, so the periods below closed after it.
  await backdateActivation(db(), installationId, new Date("2026-01-01T00:00:00Z"));
}

beforeAll(async () => {
  const rb = app().emulators.rackbeat.state.addAccount("Lagerværdi ApS");
  const ec = app().emulators.economic.state.addAgreement("Lagerværdi ApS");
  accountId = rb.id;
  agreementNumber = ec.agreementNumber;
  installationId = await installViaRackbeat(app().emulators, accountId, agreementNumber);
});
beforeEach(async () => {
  await fetch(`${app().emulators.economic.server.url}/__control/faults`, { method: "DELETE" });
  await db().delete(schema.transfers).where(eq(schema.transfers.installationId, installationId));
  await db()
    .delete(schema.inventoryPostings)
    .where(eq(schema.inventoryPostings.installationId, installationId));
  valuation().base = 0;
  valuation().movements = [];
  await configure(() => {});
});

describe("inventory value postings", () => {
  it("first posting carries the full value; a rise and a fall post the difference; no change posts nothing", async () => {
    valueFrom("2026-03-01", 100_000.5);
    await runAfter("2026-03-28");
    const first = (await posting("2026-03-28"))!;
    expect(first.status).toBe("succeeded");
    expect(vouchers("Rackbeat Justering 2026-03-28")).toEqual([
      expect.objectContaining({
        entryType: "financeVoucher",
        amount: 100_000.5,
        accountNumber: 5500,
        contraAccountNumber: 1350,
        date: "2026-03-28",
      }),
    ]);
    expect(first.economicReference).toMatch(/^voucher:2026-2\d{5}$/);

    // The DST switch day: the value at its end is read, the difference is posted.
    valueFrom("2026-03-29", 100_250.75);
    await runAfter("2026-03-29");
    expect(vouchers("Rackbeat Justering 2026-03-29").map((e) => e.amount)).toEqual([250.25]);
    expect((await posting("2026-03-29"))!.payload).toMatchObject({
      valueOre: "10025075",
      previousOre: "10000050",
      differenceOre: "25025",
      previousPeriod: "2026-03-28",
      missedPeriods: 0,
    } satisfies Partial<InventoryPayload>);

    valueFrom("2026-03-30", 99_000);
    await runAfter("2026-03-30");
    expect(vouchers("Rackbeat Justering 2026-03-30").map((e) => e.amount)).toEqual([-1250.75]);

    const entriesBefore = agreement().entries.length;
    await runAfter("2026-03-31");
    const unchanged = (await posting("2026-03-31"))!;
    expect(unchanged).toMatchObject({ status: "succeeded", economicReference: null });
    expect(unchanged.payload).toMatchObject({ differenceOre: "0", noVoucher: true });
    expect(agreement().entries.length).toBe(entriesBefore);
  });

  it("runs once per period however often the scheduler runs, and catches up missed periods in the next posting", async () => {
    valueFrom("2026-05-01", 5000);
    expect(await runAfter("2026-05-04")).toEqual({ enqueued: 1 });
    expect(await runAfter("2026-05-04")).toEqual({ enqueued: 0 });
    await enqueueInventoryPostings(new Date("2026-05-05T21:59:00Z")); // 23:59 local: the 5th has not closed
    expect(await posting("2026-05-05")).toBeUndefined();
    expect(vouchers("Rackbeat Justering 2026-05-04")).toHaveLength(1);

    // The app did not run for the 5th and 6th; the 7th's posting carries their change, dated the 7th.
    valueFrom("2026-05-06", 6000);
    valueFrom("2026-05-07", 6500);
    await runAfter("2026-05-07");
    expect(await posting("2026-05-05")).toBeUndefined();
    expect(vouchers("Rackbeat Justering 2026-05-07").map((e) => e.amount)).toEqual([1500]);
    expect((await posting("2026-05-07"))!.payload).toMatchObject({
      previousPeriod: "2026-05-04",
      missedPeriods: 2,
    });
  });

  it("weekly and monthly periods end on Sundays and month ends", async () => {
    await configure((s) => (s.inventory.frequency = "weekly"));
    valueFrom("2026-06-01", 700);
    await runAfter("2026-06-10"); // a Wednesday: the last closed week ended Sunday 7 June
    expect((await posting("2026-06-07"))!.status).toBe("succeeded");
    expect(vouchers("Rackbeat Justering 2026-W23").map((e) => e.amount)).toEqual([700]);

    await configure((s) => (s.inventory.frequency = "monthly"));
    valueFrom("2026-06-15", 900);
    await runAfter("2026-07-02");
    expect(vouchers("Rackbeat Justering 2026-06").map((e) => e.amount)).toEqual([200]);
  });

  it("postings go in period order: a later one waits for an earlier one still on its way", async () => {
    valueFrom("2026-08-01", 1000);
    await enqueueInventoryPostings(new Date("2026-08-11T05:00:00Z"));
    valueFrom("2026-08-11", 1300);
    await enqueueInventoryPostings(new Date("2026-08-12T05:00:00Z"));
    // e-conomic answers slowly, so the earlier posting is surely still on its way when the later one,
    // claimed in the same batch, looks.
    app().emulators.economic.state.faults.latencyMs = 100;
    try {
      await runOutbox({ budgetMs: 10_000, installationId, kinds: ["inventory_value"] });
    } finally {
      app().emulators.economic.state.faults.latencyMs = 0;
    }
    // The later one saw the earlier one running and waited.
    const later = (await posting("2026-08-11"))!;
    expect(later).toMatchObject({ status: "pending", errorCode: "transfer.inventory_waits_for_earlier" });
    await db()
      .update(schema.transfers)
      .set({ runAfter: new Date() })
      .where(eq(schema.transfers.id, later.id));
    await runOutbox({ budgetMs: 10_000, installationId, kinds: ["inventory_value"] });
    expect(vouchers("Rackbeat Justering 2026-08-10").map((e) => e.amount)).toEqual([1000]);
    expect(vouchers("Rackbeat Justering 2026-08-11").map((e) => e.amount)).toEqual([300]);
  });

  it("an answer lost after e-conomic took the voucher is resolved by its text, not by posting again", async () => {
    valueFrom("2026-10-01", 2500);
    await fetch(`${app().emulators.economic.server.url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({
        commitThenTimeout: [{ path: "/journals/3/vouchers", method: "POST", count: 1, hangMs: 100 }],
      }),
    });
    await runAfter("2026-10-25");
    const first = (await posting("2026-10-25"))!;
    expect(first).toMatchObject({ status: "pending", errorCode: "transfer.service_unreachable" });
    await db()
      .update(schema.transfers)
      .set({ runAfter: new Date() })
      .where(eq(schema.transfers.id, first.id));
    await runOutbox({ budgetMs: 10_000, installationId, kinds: ["inventory_value"] });
    expect((await posting("2026-10-25"))!).toMatchObject({ status: "succeeded", payload: { found: true } });
    expect(vouchers("Rackbeat Justering 2026-10-25").map((e) => e.amount)).toEqual([2500]);
  });

  it("fails, saying so, when e-conomic's day book refuses the voucher (a closed accounting year)", async () => {
    valueFrom("2025-01-01", 10);
    await backdateActivation(db(), installationId, new Date("2025-01-01T00:00:00Z"));
    await runAfter("2025-06-10");
    const refused = (await posting("2025-06-10"))!;
    expect(refused.status).toBe("failed");
    expect(refused.errorCode).toBe("transfer.economic_refused");
    expect(refused.vendorMessage).toMatch(/closed|year/i);
    expect(vouchers("Rackbeat Justering 2025-06-10")).toHaveLength(0);
  });

  it("a period before the posting was switched on is never queued: nothing is backdated", async () => {
    await db()
      .update(schema.settingsVersions)
      .set({ createdAt: new Date("2026-09-15T10:00:00Z") })
      .where(eq(schema.settingsVersions.installationId, installationId));
    await configureKeepingDates();
    expect(await enqueueInventoryPostings(new Date("2026-09-15T12:00:00Z"))).toEqual({ enqueued: 0 });
    expect(await enqueueInventoryPostings(new Date("2026-09-16T05:00:00Z"))).toEqual({ enqueued: 1 });
  });
});

async function configureKeepingDates() {
  // The versions' dates were set by the test; activation stays at the start of the year.
  const settings = await loadSettings(installationId);
  expect(settings.values.inventory.enabled).toBe(true);
}
