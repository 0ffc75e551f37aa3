import { HttpError } from "@/lib/http";
import { message } from "@/lib/messages";
import type { RackbeatClient } from "@/lib/rackbeat/client";
import type { RackbeatVatZone } from "@/lib/settings/mappings";
import { fail } from "./failure";

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
  vat_zone: RackbeatVatZone;
  group: { number: number; name?: string };
  payment_terms: { number: number; name?: string };
  layout?: { number: number; name?: string };
};
export type RackbeatProduct = {
  number: string;
  name: string;
  barcode?: string;
  group: { number: number; name?: string };
  unit?: { number: number; name?: string };
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
  vat_zone: RackbeatVatZone;
  payment_terms_id: number;
};

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
