import { and, eq, like } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { schema } from "@/db/client";
import { forgetChoices } from "@/lib/settings/choices-cache";
import { loadChoices, mappingListsOf } from "@/lib/settings/choices";
import { emptyMappings, MAPPING_KINDS, prefillMappings } from "@/lib/settings/mappings";
import { demoMappings } from "@/tests/helpers/settings";
import { loadSettings, settingsAtVersion } from "@/lib/settings/repository";
import { saveSettings } from "@/lib/settings/save";
import { defaultSettings, matrixKey, type SettingsValues } from "@/lib/settings/schema";
import { requestManualInvoiceTransfer } from "@/lib/transfers/manual";
import { findInstallation, installationFor } from "@/lib/installations/repository";
import { message, type Message } from "@/lib/messages";
import { translatorFor, wordMessage } from "@/app/i18n/catalog";
import { installViaRackbeat, withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";

const db = withTestDb();
const words = (m: Message, locale: "en" | "da" = "en") => wordMessage(translatorFor(locale), m);
const app = withApp();
let installationId: string;
let agreementNumber: number;
let accountId: number;

/** A complete, valid setup of every section. */
const goodSettings = (): SettingsValues => {
  const s = defaultSettings();
  s.creditor = { enabled: true, supplierGroup: "1", dayBook: "2" };
  s.accounting = {
    standardAccount: "1310",
    matrix: { [matrixKey(1, 1)]: "1310", [matrixKey(1, 2)]: "1320", [matrixKey(2, 3)]: "1330" },
  };
  s.debtor = {
    enabled: true,
    useActualQuantity: true,
    postInvoices: true,
    neverPostEanInvoices: true,
    markInvoicesAsSent: true,
    bringOrders: true,
    emptyLineProduct: "PRODUKT",
    oneStopVat: false,
    oneStopVatCountries: {},
  };
  s.products.useActualCostPrice = true;
  s.layouts = { "19": "1", "20": "2" };
  s.mappings = demoMappings();
  s.inventory = {
    enabled: true,
    frequency: "weekly",
    dayBook: "3",
    inventoryAccount: "5500",
    offsetAccount: "1350",
  };
  return s;
};

const save = async (values: unknown, extra: Partial<Parameters<typeof saveSettings>[0]> = {}) => {
  const current = await loadSettings(installationId);
  return saveSettings({
    installation: (await findInstallation(installationId))!,
    actor: "Bente Bogholder",
    values,
    expectedVersion: current.version,
    activate: false,
    ...extra,
  });
};

beforeAll(async () => {
  // An account and an agreement of this file's own, so that no other test touches them.
  const { emulators } = app();
  const rb = emulators.rackbeat.state.addAccount("Settings Test ApS");
  const ec = emulators.economic.state.addAgreement("Settings Test ApS");
  accountId = rb.id;
  agreementNumber = ec.agreementNumber;
  // A reused DATABASE_URL may still hold this account from an earlier run: start from nothing.
  await db()
    .delete(schema.installations)
    .where(eq(schema.installations.rackbeatAccountId, String(accountId)));
  installationId = await installViaRackbeat(emulators, accountId, agreementNumber);
});

beforeEach(async () => {
  await fetch(`${app().emulators.economic.server.url}/__control/faults`, { method: "DELETE" });
  await fetch(`${app().emulators.rackbeat.server.url}/__control/faults`, { method: "DELETE" });
});

describe("live choices", () => {
  it("lists accounts, day books, layouts, VAT zones and supplier groups from e-conomic and groups and layouts from Rackbeat", async () => {
    const choices = await loadChoices((await findInstallation(installationId))!);
    if (!choices.economic.ok || !choices.rackbeat.ok) throw new Error("expected both sides");
    expect(choices.economic.data.accounts.map((a) => a.accountNumber)).toContain(5500);
    const journals = choices.economic.data.journals;
    // The restriction is read where e-conomic puts it: under the day book's `settings`.
    expect(journals.find((j) => j.journalNumber === 3)?.settings?.entryTypeRestrictedTo).toBe(
      "financeVoucher",
    );
    expect(journals.find((j) => j.journalNumber === 1)?.settings?.entryTypeRestrictedTo).toBeUndefined();
    expect(choices.economic.data.layouts.map((l) => l.number)).toEqual([19, 20, 21]);
    expect(choices.rackbeat.data.productGroups.map((g) => g.name)).toContain("Reservedele");
  });
  it("suggests the matching tables by name: every demo value finds its e-conomic counterpart, none by number", async () => {
    const choices = await loadChoices((await findInstallation(installationId))!);
    if (!choices.economic.ok || !choices.rackbeat.ok) throw new Error("expected both sides");
    const { values, suggested } = prefillMappings(
      emptyMappings(),
      mappingListsOf(choices.economic.data, choices.rackbeat.data),
    );
    expect(values).toEqual(demoMappings());
    for (const kind of MAPPING_KINDS)
      expect(suggested[kind].sort()).toEqual(Object.keys(demoMappings()[kind]).sort());
  });
  it("a supplier-group list e-conomic cannot give leaves every other list standing", async () => {
    forgetChoices(); // read anew, not the minute-old lists of the tests before
    await fetch(`${app().emulators.economic.server.url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({ failures: [{ path: "/supplier-groups", status: 500 }] }),
    });
    try {
      const choices = await loadChoices((await findInstallation(installationId))!);
      if (!choices.economic.ok) throw new Error("expected e-conomic's lists");
      expect(choices.economic.data.supplierGroups).toBeUndefined();
      expect(choices.economic.data.accounts.length).toBeGreaterThan(0);
    } finally {
      await fetch(`${app().emulators.economic.server.url}/__control/faults`, { method: "DELETE" });
    }
  });
  it("names the side that failed and keeps the other", async () => {
    await fetch(`${app().emulators.rackbeat.server.url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({ failures: [{ path: "/api/", status: 503 }] }),
    });
    const choices = await loadChoices((await findInstallation(installationId))!);
    expect(choices.economic.ok).toBe(true);
    expect(choices.rackbeat.ok).toBe(false);
  });
});

describe("saving settings", () => {
  it("saves a complete setup, bumps the version and logs old → new per field", async () => {
    const before = await loadSettings(installationId);
    const result = await save(goodSettings());
    expect(result).toMatchObject({ ok: true, version: before.version + 1 });
    const after = await loadSettings(installationId);
    expect(after.values).toEqual(goodSettings());
    const [entry] = await db()
      .select()
      .from(schema.auditLog)
      .where(
        and(eq(schema.auditLog.installationId, installationId), eq(schema.auditLog.action, "settings.saved")),
      );
    expect(entry.actor).toBe("Bente Bogholder");
    expect(
      (entry.details as { changes: { field: string; from: unknown; to: unknown }[] }).changes,
    ).toContainEqual({ field: "inventory.offsetAccount", from: "", to: "1350" });
  });

  it("rejects a day book that does not accept finance vouchers for the inventory value", async () => {
    const s = goodSettings();
    s.inventory.dayBook = "2";
    const result = await save(s);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.fieldErrors?.["inventory.dayBook"]).toEqual(
        message("settings.day_book_refuses", {
          dayBook: "2",
          name: "Leverandørfakturaer (Rackbeat)",
          entryType: "financeVoucher",
          restrictedTo: "supplierInvoice",
        }),
      );
  });

  it("rejects a day book that does not accept supplier invoices for creditor integration", async () => {
    const s = goodSettings();
    s.creditor.dayBook = "4";
    const result = await save(s);
    if (result.ok) throw new Error("expected failure");
    expect(result.fieldErrors?.["creditor.dayBook"]).toMatchObject({
      code: "settings.day_book_refuses",
      params: { entryType: "supplierInvoice", restrictedTo: "customerPayment" },
    });
    expect(words(result.fieldErrors!["creditor.dayBook"])).toBe(
      "Day book “Debitorindbetalinger” does not accept supplier invoices: it only takes customer payments. Choose a day book that does.",
    );
  });

  it("refuses a day book restricted to customer payments for the inventory value too", async () => {
    const s = goodSettings();
    s.inventory.dayBook = "4";
    const result = await save(s);
    if (result.ok) throw new Error("expected failure");
    expect(result.fieldErrors?.["inventory.dayBook"]).toMatchObject({
      code: "settings.day_book_refuses",
      params: { entryType: "financeVoucher", restrictedTo: "customerPayment" },
    });
  });

  it("rejects heading, barred and blocked accounts, and accounts that no longer exist", async () => {
    const s = goodSettings();
    s.accounting.standardAccount = "1000";
    s.accounting.matrix[matrixKey(1, 1)] = "1360";
    s.inventory.inventoryAccount = "5600";
    s.inventory.offsetAccount = "9999";
    const result = await save(s);
    if (result.ok) throw new Error("expected failure");
    expect(result.fieldErrors?.["accounting.standardAccount"]?.code).toBe("settings.account_not_postable");
    expect(result.fieldErrors?.[`accounting.matrix.${matrixKey(1, 1)}`]?.code).toBe(
      "settings.account_barred",
    );
    expect(result.fieldErrors?.["inventory.inventoryAccount"]?.code).toBe(
      "settings.account_blocks_direct_entries",
    );
    expect(result.fieldErrors?.["inventory.offsetAccount"]).toEqual(
      message("settings.account_missing", { account: "9999" }),
    );
  });

  it("refuses an account that blocks direct entries everywhere a transfer posts directly", async () => {
    const s = goodSettings();
    s.accounting.standardAccount = "5600";
    s.accounting.matrix[matrixKey(1, 2)] = "5600";
    s.inventory.offsetAccount = "5600";
    const result = await save(s);
    if (result.ok) throw new Error("expected failure");
    for (const path of [
      "accounting.standardAccount",
      `accounting.matrix.${matrixKey(1, 2)}`,
      "inventory.offsetAccount",
    ])
      expect(result.fieldErrors?.[path]?.code).toBe("settings.account_blocks_direct_entries");
    expect(words(result.fieldErrors!["accounting.standardAccount"], "da")).toMatch(
      /tillader ikke direkte posteringer/,
    );
  });

  it("rejects an empty-line product that does not exist in Rackbeat", async () => {
    const s = goodSettings();
    s.debtor.emptyLineProduct = "NO-SUCH-PRODUCT";
    const result = await save(s);
    if (result.ok) throw new Error("expected failure");
    expect(result.fieldErrors?.["debtor.emptyLineProduct"]).toEqual(
      message("settings.empty_line_product_missing", { product: "NO-SUCH-PRODUCT" }),
    );
  });

  it("rejects the schema's rules on the server too, whatever the browser sent", async () => {
    const s = goodSettings();
    s.debtor.postInvoices = false;
    const result = await save(s);
    if (result.ok) throw new Error("expected failure");
    expect(result.fieldErrors).toEqual({
      "debtor.neverPostEanInvoices": message("settings.never_post_ean_needs_post"),
    });
    expect((await save({ nonsense: true })).ok).toBe(false);
  });

  it("refuses a save based on an old version", async () => {
    const current = await loadSettings(installationId);
    const result = await save(goodSettings(), { expectedVersion: current.version - 1 });
    expect(result).toMatchObject({ ok: false, status: 409 });
  });

  it("says which service is down and saves nothing", async () => {
    const before = await loadSettings(installationId);
    // Down as a whole: the kept lists are served only while e-conomic still answers (its /self).
    await fetch(`${app().emulators.economic.server.url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({ failures: [{ path: "/", status: 503 }] }),
    });
    const result = await save(goodSettings());
    expect(result).toMatchObject({ ok: false, status: 503 });
    if (!result.ok) {
      expect(result.formError).toEqual(message("settings.service_unreachable", { service: "e-conomic" }));
      expect(words(result.formError!)).toMatch(/^e-conomic could not be reached/);
    }
    expect((await loadSettings(installationId)).version).toBe(before.version);
  });

  it("gives another tenant's installation id no installation to act on", async () => {
    // Access is decided before any use case runs (pages and actions); the use cases take an Installation.
    expect(await installationFor(installationId, ["00000000-0000-4000-8000-000000000000"])).toBeUndefined();
    expect(await installationFor(installationId, [])).toBeUndefined();
    expect((await installationFor(installationId, [installationId]))?.id).toBe(installationId);
  });

  it("sixty saves at once cost the agreement a handful of vendor calls, and the limit answers the rest", async () => {
    const calls = () =>
      [app().emulators.economic.state, app().emulators.rackbeat.state]
        .flatMap((state) => Object.entries(state.counters.toJSON()))
        .filter(([k]) => k.startsWith("requests."))
        .reduce((sum, [, n]) => sum + n, 0);
    const installation = (await findInstallation(installationId))!;
    await save(goodSettings()); // the setup as saved before: the burst re-saves it
    const current = await loadSettings(installationId);
    const before = calls();
    const results = await Promise.all(
      Array.from({ length: 60 }, () =>
        saveSettings({
          installation,
          actor: "Bente Bogholder",
          values: goodSettings(),
          expectedVersion: current.version,
          activate: false,
        }),
      ),
    );
    const spent = calls() - before;
    // Before: 60 × (9 e-conomic + 5 Rackbeat) list reads = 840 calls. Now the saves that arrived
    // together share one read of each list, made after they arrived (so a deletion is still seen).
    expect(spent).toBeLessThanOrEqual(14);
    const statuses = results.map((r) => (r.ok ? 200 : r.status));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1); // one version wins
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const limited = results.find((r) => !r.ok && r.status === 429);
    if (limited && !limited.ok) expect(limited.formError?.code).toBe("settings.too_many_saves");
    expect(statuses.every((s) => [200, 409, 429].includes(s))).toBe(true);
    // The minute's count is spent; the tests after this one start from a new minute.
    await db()
      .delete(schema.rateLimits)
      .where(like(schema.rateLimits.key, `%:${installationId}`));
  });

  it("keeps every saved version as a snapshot", async () => {
    const s = goodSettings();
    s.inventory.frequency = "monthly";
    const result = await save(s);
    if (!result.ok) throw new Error("expected success");
    expect(await settingsAtVersion(installationId, result.version)).toEqual(s);
    const earlier = await settingsAtVersion(installationId, result.version - 1);
    expect(earlier?.inventory.frequency).toBe("weekly");
    // The install stored the defaults as version 1.
    expect(await settingsAtVersion(installationId, 1)).toEqual(defaultSettings());
  });
});

describe("activation, start-up synchronization, manual transfer", () => {
  it("refuses a manual transfer before activation", async () => {
    const result = await requestManualInvoiceTransfer({
      installation: (await findInstallation(installationId))!,
      invoiceNumber: "10001",
      actor: "Bente",
    });
    expect(result).toEqual({ ok: false, message: message("manual.not_activated") });
  });

  it("activates once, records the start-up choice, and refuses to change it afterwards", async () => {
    const s = goodSettings();
    s.startupSync = true;
    const result = await save(s, { activate: true });
    expect(result).toMatchObject({ ok: true, activated: true });
    const stored = await loadSettings(installationId);
    expect(stored.activatedAt).not.toBeNull();
    expect(stored.startupSyncChosenAt).not.toBeNull();
    const queued = await db()
      .select()
      .from(schema.transfers)
      .where(
        and(eq(schema.transfers.installationId, installationId), eq(schema.transfers.kind, "startup_sync")),
      );
    expect(queued).toHaveLength(1);
    expect(queued[0].settingsVersion).toBe(stored.version);
    // The version a transfer recorded resolves to exactly the settings it was queued under.
    expect(await settingsAtVersion(installationId, queued[0].settingsVersion!)).toEqual(s);

    const again = await save({ ...s, startupSync: false });
    if (again.ok) throw new Error("expected failure");
    expect(again.fieldErrors?.startupSync).toEqual(message("settings.startup_sync_once"));
    // Saving other changes later is fine and does not queue a second start-up synchronization.
    expect((await save({ ...s, products: { useActualCostPrice: false } })).ok).toBe(true);
    expect(
      await db()
        .select()
        .from(schema.transfers)
        .where(
          and(eq(schema.transfers.installationId, installationId), eq(schema.transfers.kind, "startup_sync")),
        ),
    ).toHaveLength(1);
  });

  it("queues a booked invoice once, refuses unbooked and unknown ones", async () => {
    const rb = app().emulators.rackbeat.state.account(accountId);
    const [booked, unbooked] = [...rb.customerInvoices.values()];
    booked.is_booked = true;
    unbooked.is_booked = false;
    const installation = (await findInstallation(installationId))!;
    const ask = (n: string) =>
      requestManualInvoiceTransfer({
        installation,
        invoiceNumber: n,
        actor: "Bente",
      });
    const number = String(booked.number);
    expect(await ask(number)).toEqual({ ok: true, message: message("manual.queued", { number }) });
    const again = await ask(number);
    expect(again).toEqual({ ok: true, message: message("manual.already_on_its_way", { number }) });
    expect(words(again.message)).toBe(
      `Invoice ${number} is already transferred or on its way; nothing was added.`,
    );
    expect(words(again.message, "da")).toBe(
      `Faktura ${number} er allerede overført eller på vej; intet blev tilføjet.`,
    );
    expect(await ask(String(unbooked.number))).toMatchObject({
      ok: false,
      field: "invoiceNumber",
      message: { code: "manual.invoice_not_booked" },
    });
    expect(await ask("999999")).toMatchObject({ ok: false, field: "invoiceNumber" });
    expect(await ask("12a")).toMatchObject({ ok: false, field: "invoiceNumber" });
    const rows = await db()
      .select()
      .from(schema.transfers)
      .where(
        and(
          eq(schema.transfers.installationId, installationId),
          eq(schema.transfers.idempotencyKey, `customer_invoice:${booked.number}`),
        ),
      );
    expect(rows).toHaveLength(1);
  });
});
