import type { EconomicRecordKind } from "@/db/vocabulary";
import { message } from "@/lib/messages";
import { oneStopVatCountryOf } from "@/lib/settings/eu-countries";
import type { SettingsValues } from "@/lib/settings/schema";
import { fail, failOnSetting } from "../failure";
import type { RackbeatCustomer, RackbeatProduct, RackbeatSupplier } from "../rackbeat-records";
import { mappedNumber } from "./numbers";

/**
 * A Rackbeat record as the e-conomic fields this integration owns. Pure: no calls. What is not listed
 * here belongs to e-conomic (a supplier's bank account, a customer's contact person, credit limit, sales
 * person, a product's description …) and an update leaves it as it is (see ./merge-record.ts).
 */
export type RecordWrite = {
  kind: EconomicRecordKind;
  number: string;
  /** Written on create and on every update. A field Rackbeat leaves empty is not here, so never erased. */
  owned: Record<string, unknown>;
  /** Required by e-conomic to create the record, and the bookkeeper's to change afterwards. */
  createOnly: Record<string, unknown>;
};

/** e-conomic's longest product number (_products.md: productNumber string 1–25). */
export const PRODUCT_NUMBER_MAX = 25;

/** Keeps only the properties that have a value: e-conomic refuses `null` and an empty string means nothing. */
const present = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ""),
  ) as Partial<T>;
const cut = (s: string | undefined, max: number) => (s?.trim() ? s.trim().slice(0, max) : undefined);
const price = (n: number) => Math.round(n * 100) / 100;

/**
 * Agreements whose customers have a `vatNumber` field: "only available to agreements in Sweden, UK,
 * Germany, Poland and Finland. Not to be mistaken for the danish CVR number" (_customers.md). Everywhere
 * else the company's number goes in `corporateIdentificationNumber`.
 */
const VAT_NUMBER_COUNTRIES: Record<string, readonly string[]> = {
  SE: ["se", "sweden", "sverige"],
  GB: ["gb", "uk", "united kingdom", "great britain", "england", "storbritannien"],
  DE: ["de", "germany", "deutschland", "tyskland"],
  PL: ["pl", "poland", "polska", "polen"],
  FI: ["fi", "finland", "suomi"],
};
export function agreementHasVatNumber(agreementCountry: string | undefined): boolean {
  const t = agreementCountry?.trim().toLowerCase();
  return Boolean(t && Object.values(VAT_NUMBER_COUNTRIES).some((names) => names.includes(t)));
}

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
 * The e-conomic VAT zone and customer group a customer is sold to with. With One Stop VAT on, a private
 * customer (no VAT number) in another EU country gets the zone and group chosen for that country; a
 * business customer keeps its own zone (EU: reverse charge). A private EU customer in a country with no
 * row fails with a message naming the country: a guess would put the wrong VAT on the invoice.
 */
export function customerVat(
  c: RackbeatCustomer,
  settings: SettingsValues,
): { vatZoneNumber: number; customerGroupNumber: number } {
  if (settings.debtor.oneStopVat && !c.company_vat?.trim()) {
    const country = oneStopVatCountryOf(c.address_country);
    if (country) {
      const row = settings.debtor.oneStopVatCountries[country];
      if (!row?.vatZone || !row.customerGroup)
        throw failOnSetting(
          "debtor",
          message("transfer.one_stop_vat_country_missing", { customer: String(c.number), country }),
        );
      return { vatZoneNumber: Number(row.vatZone), customerGroupNumber: Number(row.customerGroup) };
    }
  }
  return {
    vatZoneNumber: mappedNumber(settings, "vatZones", c.vat_zone),
    customerGroupNumber: mappedNumber(settings, "customerGroups", c.group.number, c.group.name),
  };
}

/** A Rackbeat customer as an e-conomic customer (_customers.md; lengths as economic-constraints.md). */
export function economicCustomer(
  c: RackbeatCustomer,
  settings: SettingsValues,
  agreementCountry: string | undefined,
): RecordWrite {
  const layout = economicLayoutFor(settings, c.layout?.number);
  const vat = customerVat(c, settings);
  const companyNumber = agreementHasVatNumber(agreementCountry)
    ? { vatNumber: cut(c.company_vat, 50) }
    : { corporateIdentificationNumber: cut(c.company_vat, 40) };
  return {
    kind: "customer",
    number: String(c.number),
    owned: {
      customerNumber: c.number,
      name: c.company_name.trim().slice(0, 255),
      currency: c.currency,
      customerGroup: { customerGroupNumber: vat.customerGroupNumber },
      paymentTerms: {
        paymentTermsNumber: mappedNumber(
          settings,
          "paymentTerms",
          c.payment_terms.number,
          c.payment_terms.name,
        ),
      },
      vatZone: { vatZoneNumber: vat.vatZoneNumber },
      ...present({
        address: cut(c.address_street, 510),
        city: cut(c.address_city, 50),
        zip: cut(c.address_zipcode, 30),
        country: cut(c.address_country, 50),
        email: cut(c.contact_email, 255),
        ean: cut(c.ean, 40),
        ...companyNumber,
      }),
      ...(layout ? { layout: { layoutNumber: layout } } : {}),
    },
    createOnly: {},
  };
}

/**
 * A Rackbeat product as an e-conomic product; the cost price is the actual or the recommended one, as
 * chosen. A number e-conomic cannot hold fails here, before any request, naming what to change.
 */
export function economicProduct(p: RackbeatProduct, settings: SettingsValues): RecordWrite {
  if (p.number.length > PRODUCT_NUMBER_MAX)
    throw fail(
      message("transfer.product_number_too_long", {
        product: p.number,
        length: p.number.length,
        limit: PRODUCT_NUMBER_MAX,
      }),
    );
  const cost = price(settings.products.useActualCostPrice ? p.cost_price : p.recommended_cost_price);
  return {
    kind: "product",
    number: p.number,
    owned: {
      productNumber: p.number,
      name: p.name.trim().slice(0, 300),
      productGroup: {
        productGroupNumber: mappedNumber(settings, "productGroups", p.group.number, p.group.name),
      },
      salesPrice: price(p.sales_price),
      costPrice: cost,
      // With the Inventory module e-conomic ignores costPrice and requires this (_products.md).
      inventory: { recommendedCostPrice: cost },
      ...(p.unit
        ? { unit: { unitNumber: mappedNumber(settings, "units", p.unit.number, p.unit.name) } }
        : {}),
      ...present({ barCode: cut(p.barcode, 50) }),
    },
    createOnly: {},
  };
}

/**
 * A Rackbeat supplier as an e-conomic supplier. A new one goes in the group chosen as "Account for
 * supplier groups"; the group of one e-conomic already has is the bookkeeper's (a PUT needs none,
 * _suppliers.md), as are its bank account, payment type and cost account.
 */
export function economicSupplier(s: RackbeatSupplier, settings: SettingsValues): RecordWrite {
  if (!settings.creditor.supplierGroup)
    throw failOnSetting("creditor", message("transfer.settings_incomplete", { field: "supplierGroup" }));
  return {
    kind: "supplier",
    number: String(s.number),
    owned: {
      supplierNumber: s.number,
      name: s.company_name.trim().slice(0, 255),
      currency: s.currency,
      paymentTerms: { paymentTermsNumber: mappedNumber(settings, "paymentTerms", s.payment_terms_id) },
      vatZone: { vatZoneNumber: mappedNumber(settings, "vatZones", s.vat_zone) },
      ...present({
        address: cut(s.address_street, 255),
        city: cut(s.address_city, 50),
        zip: cut(s.address_zipcode, 10),
        country: cut(s.address_country, 50),
        email: cut(s.contact_email, 100),
        corporateIdentificationNumber: cut(s.company_vat, 40),
      }),
    },
    createOnly: { supplierGroup: { supplierGroupNumber: Number(settings.creditor.supplierGroup) } },
  };
}
