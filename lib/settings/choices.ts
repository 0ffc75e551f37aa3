import { isRevokedGrant } from "@/lib/economic/client";
import { markRackbeatRevoked, withEconomic } from "@/lib/installations/lifecycle";
import { rackbeatTokenOf, type Installation } from "@/lib/installations/repository";
import { errorFields, logger } from "@/lib/log";
import { RackbeatClient } from "@/lib/rackbeat/client";
import type { MappingLists } from "./mappings";
import { cachedChoices, type ChoicesFreshness } from "./choices-cache";

export type EconomicAccount = {
  accountNumber: number;
  name: string;
  accountType: string;
  barred?: boolean;
  blockDirectEntries?: boolean;
  vatAccount?: { vatCode: string };
};

/** The entry types a day book may be restricted to (`_journals.md`, `settings.entryTypeRestrictedTo`). */
export const JOURNAL_ENTRY_TYPES = [
  "financeVoucher",
  "supplierInvoice",
  "supplierPayment",
  "customerPayment",
  "manualCustomerInvoice",
] as const;
export type JournalEntryType = (typeof JOURNAL_ENTRY_TYPES)[number];

/** A day book as e-conomic describes it: its rules sit under `settings`, not at the top level. */
export type EconomicJournal = {
  journalNumber: number;
  name: string;
  settings?: {
    entryTypeRestrictedTo?: JournalEntryType;
    voucherNumbers?: { minimumVoucherNumber?: number; maximumVoucherNumber?: number };
    contraAccounts?: Record<string, { accountNumber: number }>;
  };
};
export type Named = { number: number; name: string };

export type EconomicChoices = {
  accounts: EconomicAccount[];
  journals: EconomicJournal[];
  layouts: Named[];
  /** `GET /supplier-groups` is "not documented yet" (_suppliers.md): undefined when it failed. */
  supplierGroups: (Named & { accountNumber?: number })[] | undefined;
  vatZones: (Named & { enabledForSupplier?: boolean; enabledForCustomer?: boolean })[];
  productGroups: Named[];
  customerGroups: Named[];
  paymentTerms: Named[];
  units: Named[];
};
export type RackbeatChoices = {
  productGroups: Named[];
  layouts: Named[];
  paymentTerms: Named[];
  units: Named[];
  customerGroups: Named[];
};

export type Choices = {
  economic: { ok: true; data: EconomicChoices } | { ok: false };
  rackbeat: { ok: true; data: RackbeatChoices } | { ok: false };
};

/** Why an account cannot take the postings a transfer makes directly, or undefined when it can. */
export type AccountRefusal = "barred" | "not_postable" | "blocks_direct_entries";
export function accountRefusal(a: EconomicAccount): AccountRefusal | undefined {
  // Headings, totals and sums (`accountType` other than these two) hold no entries (`_accounts.md`).
  if (a.accountType !== "profitAndLoss" && a.accountType !== "status") return "not_postable";
  if (a.barred) return "barred";
  if (a.blockDirectEntries) return "blocks_direct_entries";
  return undefined;
}

/** Which entry types a day book accepts; an unrestricted one (no restriction under `settings`) accepts all. */
export const acceptsEntryType = (j: EconomicJournal, type: JournalEntryType) =>
  !j.settings?.entryTypeRestrictedTo || j.settings.entryTypeRestrictedTo === type;

/**
 * Lists are kept per binding: a reinstall (perhaps onto another agreement) starts from fresh lists, with
 * nothing to forget.
 */
const keptFor = (installation: Installation) => `${installation.id}:${installation.bindingGeneration}`;

/** e-conomic's lists for the settings (kept a minute per installation, `fresh` to read anew). */
export function loadEconomicChoices(
  installation: Installation,
  options: ChoicesFreshness = {},
): Promise<EconomicChoices> {
  return cachedChoices(
    keptFor(installation),
    "economic",
    {
      load: () => readEconomicChoices(installation),
      probe: () => withEconomic(installation, (client) => client.getSelf()),
    },
    options,
  );
}

async function readEconomicChoices(installation: Installation): Promise<EconomicChoices> {
  return withEconomic(installation, async (client) => {
    const [
      accounts,
      journals,
      layouts,
      supplierGroups,
      vatZones,
      productGroups,
      customerGroups,
      terms,
      units,
    ] = await Promise.all([
      client.listAll<EconomicAccount>("/accounts"),
      client.listAll<EconomicJournal>("/journals"),
      client.listAll<{ layoutNumber: number; name: string }>("/layouts"),
      // Undocumented: a failure here leaves the other lists standing (the field shows it is unavailable).
      client
        .listAll<{ supplierGroupNumber: number; name: string; account?: { accountNumber: number } }>(
          "/supplier-groups",
        )
        .catch((error: unknown) => {
          if (isRevokedGrant(error)) throw error;
          logger().warn({
            event: "settings.supplier_groups_failed",
            installationId: installation.id,
            ...errorFields(error),
          });
          return undefined;
        }),
      client.listAll<{
        vatZoneNumber: number;
        name: string;
        enabledForSupplier?: boolean;
        enabledForCustomer?: boolean;
      }>("/vat-zones"),
      client.listAll<{ productGroupNumber: number; name: string }>("/product-groups"),
      client.listAll<{ customerGroupNumber: number; name: string }>("/customer-groups"),
      client.listAll<{ paymentTermsNumber: number; name: string }>("/payment-terms"),
      client.listAll<{ unitNumber: number; name: string }>("/units"),
    ]);
    return {
      accounts,
      journals: journals.map((j) => ({ journalNumber: j.journalNumber, name: j.name, settings: j.settings })),
      layouts: layouts.map((l) => ({ number: l.layoutNumber, name: l.name })),
      supplierGroups: supplierGroups?.map((g) => ({
        number: g.supplierGroupNumber,
        name: g.name,
        accountNumber: g.account?.accountNumber,
      })),
      vatZones: vatZones.map((z) => ({
        number: z.vatZoneNumber,
        name: z.name,
        enabledForSupplier: z.enabledForSupplier,
        enabledForCustomer: z.enabledForCustomer,
      })),
      productGroups: productGroups.map((g) => ({ number: g.productGroupNumber, name: g.name })),
      customerGroups: customerGroups.map((g) => ({ number: g.customerGroupNumber, name: g.name })),
      paymentTerms: terms.map((p) => ({ number: p.paymentTermsNumber, name: p.name })),
      units: units.map((u) => ({ number: u.unitNumber, name: u.name })),
    };
  });
}

/** Rackbeat's lists for the settings (kept a minute per installation, `fresh` to read anew). */
export function loadRackbeatChoices(
  installation: Installation,
  options: ChoicesFreshness = {},
): Promise<RackbeatChoices> {
  return cachedChoices(
    keptFor(installation),
    "rackbeat",
    {
      load: () => readRackbeatChoices(installation),
      probe: () => new RackbeatClient(rackbeatTokenOf(installation) ?? "").getSelf(),
    },
    options,
  );
}

async function readRackbeatChoices(installation: Installation): Promise<RackbeatChoices> {
  const token = rackbeatTokenOf(installation);
  if (!token) throw new Error("installation has no Rackbeat access token");
  const client = new RackbeatClient(token);
  const [productGroups, layouts, paymentTerms, units, customerGroups] = await Promise.all([
    client.listAll<Named>("/product-groups", "product_groups"),
    client.listAll<Named>("/layouts", "layouts"),
    client.listAll<Named>("/payment-terms", "payment_terms"),
    client.listAll<Named>("/units", "units"),
    client.listAll<Named>("/customer-groups", "customer_groups"),
  ]);
  const named = (items: Named[]) => items.map((x) => ({ number: x.number, name: x.name }));
  return {
    productGroups: named(productGroups),
    layouts: named(layouts),
    paymentTerms: named(paymentTerms),
    units: named(units),
    customerGroups: named(customerGroups),
  };
}

/** Both sides' lists; a failing side is logged and reported by name, and does not take the other down. */
export async function loadChoices(
  installation: Installation,
  options: { fresh?: boolean } = {},
): Promise<Choices> {
  const [economic, rackbeat] = await Promise.allSettled([
    loadEconomicChoices(installation, options),
    loadRackbeatChoices(installation, options),
  ]);
  const log = logger().child({ installationId: installation.id });
  if (economic.status === "rejected")
    log.warn({ event: "settings.choices_failed", service: "e-conomic", ...errorFields(economic.reason) });
  if (rackbeat.status === "rejected") {
    log.warn({ event: "settings.choices_failed", service: "Rackbeat", ...errorFields(rackbeat.reason) });
    const reason = rackbeat.reason as { service?: string; status?: number };
    if (reason.service === "Rackbeat" && reason.status === 401)
      await markRackbeatRevoked(installation.id, { reason: "Rackbeat answered 401" });
  }
  return {
    economic: economic.status === "fulfilled" ? { ok: true, data: economic.value } : { ok: false },
    rackbeat: rackbeat.status === "fulfilled" ? { ok: true, data: rackbeat.value } : { ok: false },
  };
}

/** The lists the matching tables are made of (mappings.ts), from both sides' choices. */
export function mappingListsOf(economic: EconomicChoices, rackbeat: RackbeatChoices): MappingLists {
  return {
    economic: {
      vatZones: economic.vatZones,
      paymentTerms: economic.paymentTerms,
      units: economic.units,
      productGroups: economic.productGroups,
      customerGroups: economic.customerGroups,
    },
    rackbeat: {
      paymentTerms: rackbeat.paymentTerms,
      units: rackbeat.units,
      productGroups: rackbeat.productGroups,
      customerGroups: rackbeat.customerGroups,
    },
  };
}
