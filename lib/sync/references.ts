import type { EconomicClient } from "@/lib/economic/client";
import type { RackbeatClient } from "@/lib/rackbeat/client";
import { invertMapping, normalName, rackbeatZoneNamed, sameName, type Named } from "@/lib/settings/mappings";
import type { SettingsValues } from "@/lib/settings/schema";
import type { SyncReferences } from "./entities";

type Lists<T> = { economic: T; rackbeat: T };
const KINDS = ["paymentTerms", "layouts", "productGroups", "customerGroups", "supplierGroups"] as const;
type Kind = (typeof KINDS)[number];

/**
 * What the start-up synchronization writes for an e-conomic reference in Rackbeat: what the bookkeeper
 * matched in the settings (read backwards), else the Rackbeat entry of the same name (the groups and
 * layouts this synchronization just created carry e-conomic's names), else nothing. An equal number is
 * never enough (economic-constraints.md, "Numbers are per system").
 */
export async function syncReferences(
  economic: EconomicClient,
  rackbeat: RackbeatClient,
  settings: SettingsValues,
  patiently: <T>(call: () => Promise<T>) => Promise<T>,
): Promise<SyncReferences> {
  // Where each list is, and the field that numbers it: e-conomic's, then Rackbeat's.
  const where: Record<Kind, [string, string, string, string]> = {
    paymentTerms: ["/payment-terms", "paymentTermsNumber", "/payment-terms", "payment_terms"],
    layouts: ["/layouts", "layoutNumber", "/layouts", "layouts"],
    productGroups: ["/product-groups", "productGroupNumber", "/product-groups", "product_groups"],
    customerGroups: ["/customer-groups", "customerGroupNumber", "/customer-groups", "customer_groups"],
    supplierGroups: ["/supplier-groups", "supplierGroupNumber", "/supplier-groups", "supplier_groups"],
  };
  const [zones, ...lists] = await Promise.all([
    patiently(() => economic.listAll<{ vatZoneNumber: number; name: string }>("/vat-zones")),
    ...KINDS.map(async (kind): Promise<Lists<Named[]>> => {
      const [path, numberField, rbPath, rbKey] = where[kind];
      const [e, r] = await Promise.all([
        patiently(() => economic.listAll<Record<string, unknown>>(path))
          // Supplier groups are undocumented in e-conomic; without them, names cannot help.
          .catch((error) => (kind === "supplierGroups" ? [] : Promise.reject(error))),
        patiently(() => rackbeat.listAll<Named>(rbPath, rbKey)),
      ]);
      return {
        economic: e.map((x) => ({ number: Number(x[numberField]), name: String(x.name ?? "") })),
        rackbeat: r,
      };
    }),
  ]);
  const byKind = Object.fromEntries(KINDS.map((k, i) => [k, lists[i]])) as Record<Kind, Lists<Named[]>>;
  const matched: Partial<Record<Kind, Map<string, string>>> = {
    paymentTerms: invertMapping(settings.mappings.paymentTerms),
    productGroups: invertMapping(settings.mappings.productGroups),
    customerGroups: invertMapping(settings.mappings.customerGroups),
    // The layout table is kept e-conomic → Rackbeat already.
    layouts: new Map(Object.entries(settings.layouts).filter(([, rb]) => rb)),
  };
  const resolve = (kind: Kind) => (n: number) => {
    const chosen = matched[kind]?.get(String(n));
    if (chosen) return Number(chosen);
    const name = byKind[kind].economic.find((x) => x.number === n)?.name;
    // Same number and same name: made so by this synchronization (or matching from the start).
    const twin = byKind[kind].rackbeat.find((x) => x.number === n);
    if (twin && name !== undefined && normalName(twin.name) === normalName(name)) return n;
    return sameName(byKind[kind].rackbeat, name)?.number;
  };
  const zonesMatched = invertMapping(settings.mappings.vatZones as Record<string, string>);
  return {
    vatZone: (n) =>
      zonesMatched.get(String(n)) ?? rackbeatZoneNamed(zones.find((z) => z.vatZoneNumber === n)?.name ?? ""),
    paymentTerms: resolve("paymentTerms"),
    layout: resolve("layouts"),
    productGroup: resolve("productGroups"),
    customerGroup: resolve("customerGroups"),
    supplierGroup: resolve("supplierGroups"),
  };
}
