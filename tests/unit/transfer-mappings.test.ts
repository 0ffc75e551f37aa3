import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HttpError, NetworkError } from "@/lib/http";
import { defaultSettings, settingsSchema, type SettingsValues } from "@/lib/settings/schema";
import { classify, TransferFailure } from "@/lib/transfers/failure";
import { splitGross } from "@/lib/transfers/kinds/supplier-invoice";
import {
  customerVat,
  economicCustomer,
  economicLayoutFor,
  economicProduct,
  economicSupplier,
  type RackbeatCustomer,
  type RackbeatProduct,
  type RackbeatSupplier,
} from "@/lib/transfers/master-data";

const settings = (patch: (s: SettingsValues) => void = () => {}) => {
  const s = defaultSettings();
  s.layouts = { "19": "1", "20": "2", "21": "" };
  patch(s);
  return s;
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
  it("maps every field, the VAT zone by number, the layout through the layout matching, and leaves out what is empty", () => {
    expect(economicCustomer(customer, settings())).toEqual({
      customerNumber: 1042,
      name: "Bager Hansen ApS",
      currency: "DKK",
      customerGroup: { customerGroupNumber: 2 },
      paymentTerms: { paymentTermsNumber: 3 },
      vatZone: { vatZoneNumber: 2 },
      address: "Lagervej 1",
      city: "Silkeborg",
      zip: "8600",
      country: "Danmark",
      ean: "5790000123456",
      vatNumber: "DK12345678",
      layout: { layoutNumber: 20 },
    });
  });
  it("sends no layout when the Rackbeat layout is matched with none", () => {
    expect(economicCustomer({ ...customer, layout: { number: 9 } }, settings())).not.toHaveProperty("layout");
    expect(economicLayoutFor(settings(), undefined)).toBeUndefined();
  });
  it("cuts every text to e-conomic's maximum length", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), fc.string({ maxLength: 80 }), (name, city) => {
        const mapped = economicCustomer(
          { ...customer, company_name: name || "x", address_city: city },
          settings(),
        );
        expect(mapped.name.length).toBeLessThanOrEqual(255);
        expect((mapped.city ?? "").length).toBeLessThanOrEqual(50);
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
    expect(economicCustomer(privateIn("Tyskland"), oss())).toMatchObject({
      vatZone: { vatZoneNumber: 7 },
      customerGroup: { customerGroupNumber: 11 },
    });
  });
  it("leaves business customers (with a VAT number) in the EU zone: reverse charge", () => {
    expect(customerVat({ ...customer, address_country: "DE" }, oss())).toEqual({
      vatZoneNumber: 2,
      customerGroupNumber: 2,
    });
  });
  it("leaves Danish and non-EU private customers, and everyone when the setting is off, as they are", () => {
    expect(customerVat(privateIn("Danmark"), oss()).vatZoneNumber).toBe(2);
    expect(customerVat(privateIn("Norway"), oss()).vatZoneNumber).toBe(2);
    expect(
      customerVat(
        privateIn("DE"),
        oss((s) => (s.debtor.oneStopVat = false)),
      ),
    ).toEqual({
      vatZoneNumber: 2,
      customerGroupNumber: 2,
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
      params: { customer: "1042", country: "FR" },
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
    expect(economicProduct(product, settings())).toMatchObject({
      costPrice: 9.5,
      inventory: { recommendedCostPrice: 9.5 },
    });
    expect(
      economicProduct(
        product,
        settings((s) => (s.products.useActualCostPrice = true)),
      ),
    ).toMatchObject({
      costPrice: 8.12,
      inventory: { recommendedCostPrice: 8.12 },
    });
  });
  it("keeps the product number as it is (special characters included) and rounds prices to øre", () => {
    expect(economicProduct(product, settings())).toMatchObject({
      productNumber: "VVS/150",
      productGroup: { productGroupNumber: 1 },
      salesPrice: 20,
      barCode: "5701234567890",
      unit: { unitNumber: 1 },
    });
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
      supplierNumber: 501,
      supplierGroup: { supplierGroupNumber: 2 },
      vatZone: { vatZoneNumber: 2 },
      zip: "D-20095 Ha",
    });
  });
  it("refuses to guess a supplier group that is not chosen", () => {
    expect(() => economicSupplier(supplier, settings())).toThrow(TransferFailure);
  });
});

describe("supplier invoice amounts", () => {
  it("splits a gross amount over accounts exactly, in proportion to their net", () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 10_000_000n }), { minLength: 1, maxLength: 6 }),
        fc.bigInt({ min: -20_000_000n, max: 20_000_000n }),
        (nets, gross) => {
          const parts = splitGross(gross, nets);
          expect(parts.reduce((s, p) => s + p, 0n)).toBe(gross);
          const total = nets.reduce((s, n) => s + n, 0n);
          if (total > 0n)
            parts.forEach((p, i) => {
              const exact = (gross * nets[i]) / total;
              expect(p - exact <= 1n && exact - p <= 1n).toBe(true);
            });
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
