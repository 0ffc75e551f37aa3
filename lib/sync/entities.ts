import type { StartupSyncEntity } from "@/db/vocabulary";

/** One e-conomic record as the sync reads it: only the fields it brings. */
type Rec = Record<string, unknown>;
const num = (o: unknown, key: string) =>
  (o as Record<string, unknown> | undefined)?.[key] as number | undefined;
const str = (v: unknown, max: number) => (typeof v === "string" && v.trim() ? v.slice(0, max) : undefined);
/** Keeps only the fields that have a value, so Rackbeat's defaults apply to the rest. */
const present = (o: Rec) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ""));

/**
 * e-conomic's number of a referenced thing → what stands for it in Rackbeat (./references.ts). Never the
 * same number by assumption: Rackbeat's payment terms 3 may be e-conomic's 4.
 */
export type SyncReferences = {
  vatZone: (economicNumber: number) => string | undefined;
  paymentTerms: (economicNumber: number) => number | undefined;
  layout: (economicNumber: number) => number | undefined;
  productGroup: (economicNumber: number) => number | undefined;
  customerGroup: (economicNumber: number) => number | undefined;
  supplierGroup: (economicNumber: number) => number | undefined;
};

/** A mapping refused for a reason of our own (not Rackbeat's): becomes a listed per-record error. */
export class UnmappableRecord extends Error {
  constructor(readonly params: Record<string, string>) {
    super(`unmappable record: ${JSON.stringify(params)}`);
  }
}

function vatZone(record: Rec, refs: SyncReferences): string | undefined {
  const zone = num(record.vatZone, "vatZoneNumber");
  if (zone === undefined) return undefined;
  const name = refs.vatZone(zone);
  if (!name) throw new UnmappableRecord({ vatZone: String(zone) });
  return name;
}
/** A reference through its resolver; one with no counterpart is left out, so Rackbeat's default applies. */
const via = (resolve: (n: number) => number | undefined, n: number | undefined) =>
  n === undefined ? undefined : resolve(n);

export type EntityDefinition = {
  /** e-conomic's collection (legacy REST). */
  economicPath: string;
  /** Rackbeat's list (path, key) and create path. */
  rackbeatPath: string;
  rackbeatKey: string;
  number: (r: Rec) => string;
  name: (r: Rec) => string;
  toRackbeat: (r: Rec, refs: SyncReferences) => Rec;
};

const named = (economicPath: string, rackbeatPath: string, rackbeatKey: string, numberField: string) => ({
  economicPath,
  rackbeatPath,
  rackbeatKey,
  number: (r: Rec) => String(r[numberField]),
  name: (r: Rec) => String(r.name ?? ""),
  toRackbeat: (r: Rec) => ({ number: r[numberField], name: str(r.name, 255) ?? String(r[numberField]) }),
});

/**
 * e-conomic → Rackbeat, per entity (rackbeat-api.md §6; _products.md, _customers.md, _suppliers.md).
 * A reference (group, payment term, layout) with no counterpart in Rackbeat is left out, so Rackbeat's
 * default applies, rather than failing the record or pointing at whatever has that number there.
 */
export const ENTITIES: Record<StartupSyncEntity, EntityDefinition> = {
  layouts: named("/layouts", "/layouts", "layouts", "layoutNumber"),
  product_groups: named("/product-groups", "/product-groups", "product_groups", "productGroupNumber"),
  customer_groups: named("/customer-groups", "/customer-groups", "customer_groups", "customerGroupNumber"),
  supplier_groups: named("/supplier-groups", "/supplier-groups", "supplier_groups", "supplierGroupNumber"),
  products: {
    economicPath: "/products",
    rackbeatPath: "/products",
    rackbeatKey: "products",
    number: (r) => String(r.productNumber),
    name: (r) => String(r.name ?? ""),
    toRackbeat: (r, refs) =>
      present({
        number: String(r.productNumber),
        name: str(r.name, 255) ?? String(r.productNumber),
        group_id: via(refs.productGroup, num(r.productGroup, "productGroupNumber")),
        sales_price: typeof r.salesPrice === "number" ? r.salesPrice : undefined,
        recommended_cost_price: typeof r.costPrice === "number" ? r.costPrice : undefined,
        barcode: str(r.barCode, 50),
        is_barred: r.barred === true ? true : undefined,
      }),
  },
  customers: {
    economicPath: "/customers",
    rackbeatPath: "/customers",
    rackbeatKey: "customers",
    number: (r) => String(r.customerNumber),
    name: (r) => String(r.name ?? ""),
    toRackbeat: (r, refs) =>
      present({
        number: r.customerNumber,
        company_name: str(r.name, 255) ?? String(r.customerNumber),
        company_vat: str(r.vatNumber ?? r.corporateIdentificationNumber, 50),
        address_street: str(r.address, 255),
        address_city: str(r.city, 255),
        address_zipcode: str(r.zip, 50),
        address_country: str(r.country, 100),
        contact_email: str(r.email, 255),
        ean: str(r.ean, 13),
        currency: str(r.currency, 3),
        vat_zone: vatZone(r, refs),
        group_id: via(refs.customerGroup, num(r.customerGroup, "customerGroupNumber")),
        payment_terms_id: via(refs.paymentTerms, num(r.paymentTerms, "paymentTermsNumber")),
        layout_id: via(refs.layout, num(r.layout, "layoutNumber")),
      }),
  },
  suppliers: {
    economicPath: "/suppliers",
    rackbeatPath: "/suppliers",
    rackbeatKey: "suppliers",
    number: (r) => String(r.supplierNumber),
    name: (r) => String(r.name ?? ""),
    toRackbeat: (r, refs) =>
      present({
        number: r.supplierNumber,
        company_name: str(r.name, 255) ?? String(r.supplierNumber),
        company_vat: str(r.corporateIdentificationNumber, 50),
        address_street: str(r.address, 255),
        address_city: str(r.city, 255),
        address_zipcode: str(r.zip, 50),
        address_country: str(r.country, 100),
        contact_email: str(r.email, 255),
        currency: str(r.currency, 3),
        vat_zone: vatZone(r, refs),
        supplier_group_id: via(refs.supplierGroup, num(r.supplierGroup, "supplierGroupNumber")),
        payment_terms_id: via(refs.paymentTerms, num(r.paymentTerms, "paymentTermsNumber")),
      }),
  },
};
