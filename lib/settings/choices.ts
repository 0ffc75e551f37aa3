import { withEconomic } from "@/lib/installations/lifecycle";
import { rackbeatTokenOf, type Installation } from "@/lib/installations/repository";
import { RackbeatClient } from "@/lib/rackbeat/client";

export type EconomicAccount = {
  accountNumber: number;
  name: string;
  accountType: string;
  barred?: boolean;
  blockDirectEntries?: boolean;
  vatAccount?: { vatCode: string };
};
export type EconomicJournal = { journalNumber: number; name: string; entryTypeRestrictedTo?: string };
export type Named = { number: number; name: string };

export type EconomicChoices = {
  accounts: EconomicAccount[];
  journals: EconomicJournal[];
  layouts: Named[];
  supplierGroups: (Named & { accountNumber?: number })[];
  vatZones: (Named & { enabledForSupplier?: boolean })[];
  productGroups: Named[];
};
export type RackbeatChoices = { productGroups: Named[]; layouts: Named[] };

export type Choices = {
  economic: { ok: true; data: EconomicChoices } | { ok: false; error: string };
  rackbeat: { ok: true; data: RackbeatChoices } | { ok: false; error: string };
};

/** Accounts a posting may use: not a heading or total, not barred. */
export const isPostable = (a: EconomicAccount) =>
  (a.accountType === "profitAndLoss" || a.accountType === "status") && !a.barred;

/** Which entry types a day book accepts; an unrestricted one accepts all. */
export const acceptsEntryType = (j: EconomicJournal, type: "financeVoucher" | "supplierInvoice") =>
  !j.entryTypeRestrictedTo || j.entryTypeRestrictedTo === type;

export async function loadEconomicChoices(installation: Installation): Promise<EconomicChoices> {
  return withEconomic(installation, async (client) => {
    const [accounts, journals, layouts, supplierGroups, vatZones, productGroups] = await Promise.all([
      client.listAll<EconomicAccount>("/accounts"),
      client.listAll<EconomicJournal>("/journals"),
      client.listAll<{ layoutNumber: number; name: string }>("/layouts"),
      client.listAll<{ supplierGroupNumber: number; name: string; account?: { accountNumber: number } }>(
        "/supplier-groups",
      ),
      client.listAll<{ vatZoneNumber: number; name: string; enabledForSupplier?: boolean }>("/vat-zones"),
      client.listAll<{ productGroupNumber: number; name: string }>("/product-groups"),
    ]);
    return {
      accounts,
      journals: journals.map((j) => ({
        journalNumber: j.journalNumber,
        name: j.name,
        entryTypeRestrictedTo: j.entryTypeRestrictedTo,
      })),
      layouts: layouts.map((l) => ({ number: l.layoutNumber, name: l.name })),
      supplierGroups: supplierGroups.map((g) => ({
        number: g.supplierGroupNumber,
        name: g.name,
        accountNumber: g.account?.accountNumber,
      })),
      vatZones: vatZones.map((z) => ({
        number: z.vatZoneNumber,
        name: z.name,
        enabledForSupplier: z.enabledForSupplier,
      })),
      productGroups: productGroups.map((g) => ({ number: g.productGroupNumber, name: g.name })),
    };
  });
}

export async function loadRackbeatChoices(installation: Installation): Promise<RackbeatChoices> {
  const token = rackbeatTokenOf(installation);
  if (!token) throw new Error("This installation has no Rackbeat access.");
  const client = new RackbeatClient(token);
  const [productGroups, layouts] = await Promise.all([
    client.listAll<Named>("/product-groups", "product_groups"),
    client.listAll<Named>("/layouts", "layouts"),
  ]);
  return {
    productGroups: productGroups.map((g) => ({ number: g.number, name: g.name })),
    layouts: layouts.map((l) => ({ number: l.number, name: l.name })),
  };
}

/** Both sides' lists; a failing side is reported by name and does not take the other down. */
export async function loadChoices(installation: Installation): Promise<Choices> {
  const [economic, rackbeat] = await Promise.allSettled([
    loadEconomicChoices(installation),
    loadRackbeatChoices(installation),
  ]);
  return {
    economic:
      economic.status === "fulfilled"
        ? { ok: true, data: economic.value }
        : { ok: false, error: String(economic.reason) },
    rackbeat:
      rackbeat.status === "fulfilled"
        ? { ok: true, data: rackbeat.value }
        : { ok: false, error: String(rackbeat.reason) },
  };
}
