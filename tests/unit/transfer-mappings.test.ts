import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HttpError, NetworkError } from "@/lib/http";
import { defaultSettings, settingsSchema, type SettingsValues } from "@/lib/settings/schema";
import { classify, TransferFailure } from "@/lib/transfers/failure";
import {
  agreementHasVatNumber,
  customerVat,
  economicCustomer,
  economicLayoutFor,
  economicProduct,
  economicSupplier,
} from "@/lib/transfers/mapping/master-records";
import { mergeRecord } from "@/lib/transfers/mapping/merge-record";
import type { RackbeatCustomer, RackbeatProduct, RackbeatSupplier } from "@/lib/transfers/rackbeat-records";

/** Rackbeat's numbers on the left, e-conomic's on the right: deliberately never the same. */
const settings = (patch: (s: SettingsValues) => void = () => {}) => {
  const s = defaultSettings();
  s.layouts = { "19": "1", "20": "2", "21": "" };
  s.mappings = {
    vatZones: { domestic: "1", eu: "3", abroad: "2", exempt: "4" },
    paymentTerms: { "1": "2", "2": "3", "3": "4" },
    units: { "1": "2", "2": "1" },
    productGroups: { "1": "1", "2": "2", "3": "4" },
    customerGroups: { "1": "1", "2": "3", "3": "2" },
  };
  patch(s);
  return s;
};
const failureOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof TransferFailure) return e.result.message;
    throw e;
  }
  throw new Error("did not fail");
};
const customer: RackbeatCustomer = {
  number: 1042,
  company_name: "Bager Hansen ApS",
  company_vat: "DK12345678",
  address_street: "Lagervej 1",
  address_city: "Silkeborg",
  address_zipcode: "8600",
  address_country: "Danmark",
  contact_email: "",
  ean: "5790000123456",
  currency: "DKK",
  vat_zone: "eu",
  group: { number: 2 },
  payment_terms: { number: 3 },
  layout: { number: 2 },
};
const product: RackbeatProduct = {
  number: "VVS/150",
  name: "Rør",
  barcode: "5701234567890",
  group: { number: 1 },
  unit: { number: 1 },
  sales_price: 19.999,
  recommended_cost_price: 9.5,
  cost_price: 8.123,
};

describe("customers → e-conomic", () => {
  it("maps every field through the matching tables, the CVR in its own field, and leaves out what is empty", () => {
    expect(economicCustomer(customer, settings(), "Danmark")).toEqual({
      kind: "customer",
      number: "1042",
      owned: {
        customerNumber: 1042,
        name: "Bager Hansen ApS",
        currency: "DKK",
        customerGroup: { customerGroupNumber: 3 },
        paymentTerms: { paymentTermsNumber: 4 },
        vatZone: { vatZoneNumber: 3 },
        address: "Lagervej 1",
        city: "Silkeborg",
        zip: "8600",
        country: "Danmark",
        ean: "5790000123456",
        corporateIdentificationNumber: "DK12345678",
        layout: { layoutNumber: 20 },
      },
      createOnly: {},
    });
  });
  it("uses vatNumber only for agreements in Sweden, the UK, Germany, Poland and Finland (_customers.md)", () => {
    for (const country of ["Sverige", "SE", "United Kingdom", "Deutschland", "Polska", "Finland"]) {
      expect(agreementHasVatNumber(country)).toBe(true);
      expect(economicCustomer(customer, settings(), country).owned).toMatchObject({
        vatNumber: "DK12345678",
      });
    }
    for (const country of ["Danmark", "Denmark", "DK", "Norge", "", undefined]) {
      const owned = economicCustomer(customer, settings(), country).owned;
      expect(owned).not.toHaveProperty("vatNumber");
      expect(owned).toHaveProperty("corporateIdentificationNumber", "DK12345678");
    }
  });
  it("never takes a Rackbeat number as e-conomic's: an unmatched value fails, naming it and its kind", () => {
    expect(
      failureOf(() =>
        economicCustomer(
          { ...customer, payment_terms: { number: 9, name: "Netto 60" } },
          settings(),
          "Danmark",
        ),
      ),
    ).toEqual({
      code: "transfer.value_not_mapped",
      params: { kind: "paymentTerms", value: "9", name: "Netto 60", setting: "mappings" },
    });
    expect(
      failureOf(() =>
        economicCustomer(
          customer,
          settings((s) => (s.mappings.vatZones.eu = "")),
          "DK",
        ),
      ),
    ).toMatchObject({ params: { kind: "vatZones", value: "eu" } });
  });
  it("sends no layout when the Rackbeat layout is matched with none", () => {
    expect(
      economicCustomer({ ...customer, layout: { number: 9 } }, settings(), "DK").owned,
    ).not.toHaveProperty("layout");
    expect(economicLayoutFor(settings(), undefined)).toBeUndefined();
  });
  it("cuts every text to e-conomic's maximum length", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), fc.string({ maxLength: 80 }), (name, city) => {
        const { owned } = economicCustomer(
          { ...customer, company_name: name.trim() ? name : "x", address_city: city },
          settings(),
          "DK",
        );
        expect((owned.name as string).length).toBeLessThanOrEqual(255);
        expect(((owned.city as string | undefined) ?? "").length).toBeLessThanOrEqual(50);
      }),
    );
  });
});

describe("One Stop VAT", () => {
  const oss = (patch: (s: SettingsValues) => void = () => {}) =>
    settings((s) => {
      s.debtor.oneStopVat = true;
      s.debtor.oneStopVatCountries = { DE: { vatZone: "7", customerGroup: "11" } };
      patch(s);
    });
  const privateIn = (country: string): RackbeatCustomer => ({
    ...customer,
    company_vat: undefined,
    address_country: country,
  });

  it("gives a private customer in another EU country the zone and group chosen for that country", () => {
    for (const country of ["DE", "de", "Germany", "Tyskland", " Deutschland "])
      expect(customerVat(privateIn(country), oss())).toEqual({ vatZoneNumber: 7, customerGroupNumber: 11 });
    expect(economicCustomer(privateIn("Tyskland"), oss(), "DK").owned).toMatchObject({
      vatZone: { vatZoneNumber: 7 },
      customerGroup: { customerGroupNumber: 11 },
    });
  });
  it("leaves business customers (with a VAT number) in the EU zone: reverse charge", () => {
    expect(customerVat({ ...customer, address_country: "DE" }, oss())).toEqual({
      vatZoneNumber: 3,
      customerGroupNumber: 3,
    });
  });
  it("leaves Danish and non-EU private customers, and everyone when the setting is off, as they are", () => {
    expect(customerVat(privateIn("Danmark"), oss()).vatZoneNumber).toBe(3);
    expect(customerVat(privateIn("Norway"), oss()).vatZoneNumber).toBe(3);
    expect(
      customerVat(
        privateIn("DE"),
        oss((s) => (s.debtor.oneStopVat = false)),
      ),
    ).toEqual({
      vatZoneNumber: 3,
      customerGroupNumber: 3,
    });
  });
  it("fails, naming the country, for a private customer in an EU country with no row", () => {
    const error = (() => {
      try {
        customerVat(privateIn("Frankrig"), oss());
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TransferFailure);
    expect((error as TransferFailure).result.message).toEqual({
      code: "transfer.one_stop_vat_country_missing",
      params: { customer: "1042", country: "FR", setting: "debtor" },
    });
  });
  it("the settings refuse a country row without a zone or group while One Stop VAT is on", () => {
    const s = oss((s) => (s.debtor.oneStopVatCountries.FR = { vatZone: "", customerGroup: "3" }));
    const result = settingsSchema.safeParse(s);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual([
      "debtor.oneStopVatCountries.FR.vatZone",
    ]);
    expect(
      settingsSchema.safeParse({ ...s, debtor: { ...s.debtor, oneStopVatCountries: { XX: {} } } }).success,
    ).toBe(false);
  });
});

describe("products → e-conomic", () => {
  it("sends the recommended cost price, or the actual one with “Use actual cost price”", () => {
    expect(economicProduct(product, settings()).owned).toMatchObject({
      costPrice: 9.5,
      inventory: { recommendedCostPrice: 9.5 },
    });
    expect(
      economicProduct(
        product,
        settings((s) => (s.products.useActualCostPrice = true)),
      ).owned,
    ).toMatchObject({
      costPrice: 8.12,
      inventory: { recommendedCostPrice: 8.12 },
    });
  });
  it("keeps the product number as it is (special characters included) and rounds prices to øre", () => {
    expect(economicProduct(product, settings()).owned).toMatchObject({
      productNumber: "VVS/150",
      productGroup: { productGroupNumber: 1 },
      salesPrice: 20,
      barCode: "5701234567890",
      unit: { unitNumber: 2 },
    });
  });
  it("refuses a product number longer than e-conomic's 25 characters, naming the product and the limit", () => {
    const number = "REOL-SYSTEM-GALVANISERET-2000MM";
    expect(failureOf(() => economicProduct({ ...product, number }, settings()))).toEqual({
      code: "transfer.product_number_too_long",
      params: { product: number, length: number.length, limit: 25 },
    });
    expect(economicProduct({ ...product, number: "X".repeat(25) }, settings()).number).toHaveLength(25);
  });
});

describe("suppliers → e-conomic", () => {
  const supplier: RackbeatSupplier = {
    number: 501,
    company_name: "Grossisten A/S",
    currency: "EUR",
    vat_zone: "eu",
    payment_terms_id: 3,
    address_zipcode: "D-20095 Hamburg",
  };
  it("puts the supplier in the group chosen as “Account for supplier groups”", () => {
    expect(
      economicSupplier(
        supplier,
        settings((s) => (s.creditor.supplierGroup = "2")),
      ),
    ).toMatchObject({
      owned: {
        supplierNumber: 501,
        vatZone: { vatZoneNumber: 3 },
        paymentTerms: { paymentTermsNumber: 4 },
        zip: "D-20095 Ha",
      },
      // The group is set when e-conomic creates the supplier; afterwards it is the bookkeeper's.
      createOnly: { supplierGroup: { supplierGroupNumber: 2 } },
    });
  });
  it("refuses to guess a supplier group that is not chosen", () => {
    expect(() => economicSupplier(supplier, settings())).toThrow(TransferFailure);
  });
});

describe("updates merge into the record as e-conomic holds it", () => {
  const held = {
    supplierNumber: 501,
    name: "Gammelt navn",
    currency: "DKK",
    paymentTerms: { paymentTermsNumber: 2, self: "https://restapi.e-conomic.com/payment-terms/2" },
    vatZone: { vatZoneNumber: 1, self: "https://restapi.e-conomic.com/vat-zones/1" },
    bankAccount: "1234 5678901234",
    remittanceAdvice: { creditorId: "88776655", paymentType: { paymentTypeNumber: 3 } },
    attention: { number: 7 },
    inventory: { inStock: 12, recommendedCostPrice: 1 },
    self: "https://restapi.e-conomic.com/suppliers/501",
  };
  it("changes only the fields we own, replaces references whole and keeps everything else", () => {
    const merged = mergeRecord(held, {
      name: "Nyt navn",
      paymentTerms: { paymentTermsNumber: 4 },
      inventory: { recommendedCostPrice: 9.5 },
    });
    expect(merged).toEqual({
      ...held,
      name: "Nyt navn",
      paymentTerms: { paymentTermsNumber: 4 },
      inventory: { inStock: 12, recommendedCostPrice: 9.5 },
    });
  });
  it("keeps every field e-conomic holds that we do not own, whatever they are, and never sends null", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue()),
        fc.dictionary(fc.constantFrom("name", "email", "city", "currency"), fc.string()),
        (theirs, ours) => {
          const merged = mergeRecord(theirs, ours);
          for (const [k, v] of Object.entries(ours)) expect(merged[k]).toEqual(v);
          for (const k of Object.keys(theirs))
            if (!(k in ours) && theirs[k] !== null) expect(k in merged).toBe(true);
          const hasNull = (v: unknown): boolean =>
            v === null || (typeof v === "object" && Object.values(v as object).some(hasNull));
          expect(hasNull(merged)).toBe(false);
        },
      ),
    );
  });
});

describe("failure classes", () => {
  it("retries the network and busy services, stops on e-conomic's refusal with its words, pauses on 401", () => {
    expect(classify(new NetworkError("e-conomic", true, new Error("reset"))).outcome).toBe("retry");
    expect(classify(new HttpError("e-conomic", 429, {}, 30))).toMatchObject({
      outcome: "retry",
      retryAfterSeconds: 30,
    });
    expect(classify(new HttpError("Rackbeat", 503, {})).outcome).toBe("retry");
    expect(classify(new HttpError("e-conomic", 401, { errorCode: "E02250" })).outcome).toBe("paused");
    expect(
      classify(
        new HttpError("e-conomic", 400, {
          message: "Validation error.",
          logId: "L1",
          errors: { layout: { errors: [{ message: "layout does not exist." }] } },
        }),
      ),
    ).toMatchObject({
      outcome: "failed",
      logId: "L1",
      vendorMessage: expect.stringContaining("layout does not exist."),
    });
    expect(classify(new HttpError("Rackbeat", 401, {})).outcome).toBe("paused");
    expect(classify(new Error("boom")).outcome).toBe("retry");
  });
});
