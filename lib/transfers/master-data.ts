import { and, eq, or } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import type { EconomicRecordKind } from "@/db/vocabulary";
import { sha256 } from "@/lib/crypto";
import type { EconomicClient } from "@/lib/economic/client";
import { HttpError } from "@/lib/http";
import type { RackbeatClient } from "@/lib/rackbeat/client";
import type { SettingsValues } from "@/lib/settings/schema";
import { UNCERTAIN } from "@/lib/uncertain";
import { fail } from "./failure";
import { message } from "@/lib/messages";
import { oneStopVatCountryOf } from "@/lib/settings/eu-countries";

/** The Rackbeat records the transfers read (rackbeat-api.md §6); only the fields we map. */
export type RackbeatCustomer = {
  number: number;
  company_name: string;
  company_vat?: string;
  address_street?: string;
  address_city?: string;
  address_zipcode?: string;
  address_country?: string;
  contact_email?: string;
  ean?: string;
  currency: string;
  vat_zone: keyof typeof UNCERTAIN.rackbeat.vatZoneNumbers;
  group: { number: number };
  payment_terms: { number: number };
  layout?: { number: number };
};
export type RackbeatProduct = {
  number: string;
  name: string;
  barcode?: string;
  group: { number: number };
  unit?: { number: number };
  sales_price: number;
  recommended_cost_price: number;
  cost_price: number;
};
export type RackbeatSupplier = {
  number: number;
  company_name: string;
  company_vat?: string;
  address_street?: string;
  address_city?: string;
  address_zipcode?: string;
  address_country?: string;
  contact_email?: string;
  currency: string;
  vat_zone: keyof typeof UNCERTAIN.rackbeat.vatZoneNumbers;
  payment_terms_id: number;
};

/** Keeps only the properties that have a value: e-conomic refuses `null` and an empty string means nothing. */
const present = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ""),
  ) as Partial<T>;
const cut = (s: string | undefined, max: number) => (s ? s.slice(0, max) : undefined);
const price = (n: number) => Math.round(n * 100) / 100;

/** The e-conomic layout matched with a Rackbeat layout in the settings (`layouts`: e-conomic → Rackbeat). */
export function economicLayoutFor(
  settings: SettingsValues,
  rackbeatLayout: number | undefined,
): number | undefined {
  if (rackbeatLayout === undefined) return undefined;
  const match = Object.entries(settings.layouts).find(([, rb]) => rb === String(rackbeatLayout));
  return match ? Number(match[0]) : undefined;
}

/**
 * The VAT zone and customer group a customer is sold to with. With One Stop VAT on, a private customer
 * (no VAT number) in another EU country gets the zone and group chosen for that country; a business
 * customer keeps its own zone (EU: reverse charge). A private EU customer in a country with no row fails
 * with a message naming the country: a guess would put the wrong VAT on the invoice.
 */
export function customerVat(
  c: RackbeatCustomer,
  settings: SettingsValues,
): { vatZoneNumber: number; customerGroupNumber: number } {
  const own = {
    vatZoneNumber: UNCERTAIN.rackbeat.vatZoneNumbers[c.vat_zone],
    customerGroupNumber: c.group.number,
  };
  if (!settings.debtor.oneStopVat || c.company_vat?.trim()) return own;
  const country = oneStopVatCountryOf(c.address_country);
  if (!country) return own;
  const row = settings.debtor.oneStopVatCountries[country];
  if (!row?.vatZone || !row.customerGroup)
    throw fail(message("transfer.one_stop_vat_country_missing", { customer: String(c.number), country }));
  return { vatZoneNumber: Number(row.vatZone), customerGroupNumber: Number(row.customerGroup) };
}

/** A Rackbeat customer as an e-conomic customer (_customers.md; lengths as economic-constraints.md). */
export function economicCustomer(c: RackbeatCustomer, settings: SettingsValues) {
  const layout = economicLayoutFor(settings, c.layout?.number);
  const vat = customerVat(c, settings);
  return {
    customerNumber: c.number,
    name: c.company_name.slice(0, 255),
    currency: c.currency,
    customerGroup: { customerGroupNumber: vat.customerGroupNumber },
    paymentTerms: { paymentTermsNumber: c.payment_terms.number },
    vatZone: { vatZoneNumber: vat.vatZoneNumber },
    ...present({
      address: cut(c.address_street, 510),
      city: cut(c.address_city, 50),
      zip: cut(c.address_zipcode, 30),
      country: cut(c.address_country, 50),
      email: cut(c.contact_email, 255),
      ean: cut(c.ean, 40),
      vatNumber: cut(c.company_vat, 50),
    }),
    ...(layout ? { layout: { layoutNumber: layout } } : {}),
  };
}

/** A Rackbeat product as an e-conomic product; the cost price is the actual or the recommended one, as chosen. */
export function economicProduct(p: RackbeatProduct, settings: SettingsValues) {
  const cost = price(settings.products.useActualCostPrice ? p.cost_price : p.recommended_cost_price);
  return {
    productNumber: p.number,
    name: p.name.slice(0, 300),
    productGroup: { productGroupNumber: p.group.number },
    salesPrice: price(p.sales_price),
    costPrice: cost,
    // With the Inventory module e-conomic ignores costPrice and requires this (_products.md).
    inventory: { recommendedCostPrice: cost },
    ...(p.unit ? { unit: { unitNumber: p.unit.number } } : {}),
    ...present({ barCode: cut(p.barcode, 50) }),
  };
}

/** A Rackbeat supplier as an e-conomic supplier in the group chosen as "Account for supplier groups". */
export function economicSupplier(s: RackbeatSupplier, settings: SettingsValues) {
  if (!settings.creditor.supplierGroup)
    throw fail(message("transfer.settings_incomplete", { field: "supplierGroup" }));
  return {
    supplierNumber: s.number,
    name: s.company_name.slice(0, 255),
    currency: s.currency,
    supplierGroup: { supplierGroupNumber: Number(settings.creditor.supplierGroup) },
    paymentTerms: { paymentTermsNumber: s.payment_terms_id },
    vatZone: { vatZoneNumber: UNCERTAIN.rackbeat.vatZoneNumbers[s.vat_zone] },
    ...present({
      address: cut(s.address_street, 255),
      city: cut(s.address_city, 50),
      zip: cut(s.address_zipcode, 10),
      country: cut(s.address_country, 50),
      email: cut(s.contact_email, 100),
      corporateIdentificationNumber: cut(s.company_vat, 40),
    }),
  };
}

const PATHS: Record<
  EconomicRecordKind,
  { collection: string; item: (e: EconomicClient, n: string) => string }
> = {
  customer: { collection: "/customers", item: (_e, n) => `/customers/${n}` },
  supplier: { collection: "/suppliers", item: (_e, n) => `/suppliers/${n}` },
  product: { collection: "/products", item: (e, n) => e.productPath(n) },
};

/**
 * Makes sure e-conomic holds this record as we would send it now. Known and unchanged (same hash as
 * last sent): no call. Otherwise the number is looked up (GET), then updated (PUT) or created (POST) —
 * an explicit number makes a repeat safe. The local record is written after e-conomic answered.
 */
export async function ensureRecord(
  economic: EconomicClient,
  installationId: string,
  kind: EconomicRecordKind,
  number: string,
  body: Record<string, unknown>,
  /** The hashes already read for this installation (knownRecords), saving the lookup. */
  known?: Map<string, string>,
): Promise<"unchanged" | "updated" | "created"> {
  const hash = sha256(JSON.stringify(body));
  const db = await getDb();
  const key = and(
    eq(schema.economicRecords.installationId, installationId),
    eq(schema.economicRecords.kind, kind),
    eq(schema.economicRecords.number, number),
  );
  const knownHash = known
    ? known.get(`${kind}:${number}`)
    : (await db.select().from(schema.economicRecords).where(key))[0]?.hash;
  if (knownHash === hash) return "unchanged";
  const path = PATHS[kind];
  const exists = async () => {
    try {
      await economic.rest(path.item(economic, number));
      return true;
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return false;
      throw error;
    }
  };
  let existed = await exists();
  if (existed) await economic.rest(path.item(economic, number), { method: "PUT", body });
  else
    try {
      await economic.rest(path.collection, { method: "POST", body });
    } catch (error) {
      // Another transfer of this installation (the customer's own, say, next to an invoice for it) may
      // have created it between our look and our write: then it is there, and we update it instead.
      const refused = error instanceof HttpError && error.status >= 400 && error.status < 500;
      if (!refused || error.status === 401 || error.status === 429 || !(await exists())) throw error;
      existed = true;
      await economic.rest(path.item(economic, number), { method: "PUT", body });
    }
  await db
    .insert(schema.economicRecords)
    .values({ installationId, kind, number, hash })
    .onConflictDoUpdate({
      target: [
        schema.economicRecords.installationId,
        schema.economicRecords.kind,
        schema.economicRecords.number,
      ],
      set: { hash, updatedAt: new Date() },
    });
  return existed ? "updated" : "created";
}

/** What the local record holds for these records, in one query: `kind:number` → hash of what was sent. */
export async function knownRecords(
  installationId: string,
  records: { kind: EconomicRecordKind; number: string }[],
): Promise<Map<string, string>> {
  if (!records.length) return new Map();
  const db = await getDb();
  const rows = await db
    .select()
    .from(schema.economicRecords)
    .where(
      and(
        eq(schema.economicRecords.installationId, installationId),
        or(
          ...records.map((r) =>
            and(eq(schema.economicRecords.kind, r.kind), eq(schema.economicRecords.number, r.number)),
          ),
        ),
      ),
    );
  return new Map(rows.map((r) => [`${r.kind}:${r.number}`, r.hash]));
}

/** Reads one Rackbeat record by number; a 404 is a permanent failure that names it. */
export async function readRackbeat<T>(
  rackbeat: RackbeatClient,
  kind: "customer_invoice" | "supplier_invoice" | "product" | "customer" | "supplier",
  number: string,
): Promise<T> {
  const path = {
    customer_invoice: "/customer-invoices",
    supplier_invoice: "/supplier-invoices",
    product: "/products",
    customer: "/customers",
    supplier: "/suppliers",
  }[kind];
  try {
    const { data } = await rackbeat.request<Record<string, T>>(`${path}/${encodeURIComponent(number)}`);
    return data[kind];
  } catch (error) {
    if (error instanceof HttpError && error.status === 404)
      throw fail(message("transfer.document_missing", { kind, number }));
    throw error;
  }
}
