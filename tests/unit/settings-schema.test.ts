import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  defaultSettings,
  diffSettings,
  flatten,
  settingsSchema,
  withDefaults,
  type SettingsValues,
} from "@/lib/settings/schema";
import { fieldLabel } from "@/app/installations/[id]/field-label";
import { translatorFor } from "@/app/i18n/catalog";

const label = (locale: "en" | "da", path: string) => fieldLabel(translatorFor(locale, "settings"), path);

const valid = (patch: (s: SettingsValues) => void = () => {}) => {
  const s = defaultSettings();
  patch(s);
  return s;
};
const errorsOf = (values: unknown) => {
  const r = settingsSchema.safeParse(values);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("settings schema", () => {
  it("accepts the defaults", () => {
    expect(settingsSchema.safeParse(defaultSettings()).success).toBe(true);
  });
  it("'Never post EAN invoices' needs 'Post invoices in e-conomic when posted in Rackbeat'", () => {
    expect(errorsOf(valid((s) => (s.debtor.neverPostEanInvoices = true)))).toEqual({
      "debtor.neverPostEanInvoices": "settings.never_post_ean_needs_post",
    });
    expect(
      errorsOf(valid((s) => Object.assign(s.debtor, { neverPostEanInvoices: true, postInvoices: true }))),
    ).toEqual({});
  });
  it("inventory value synchronization needs a day book, an inventory account and a different offset account", () => {
    expect(Object.keys(errorsOf(valid((s) => (s.inventory.enabled = true)))).sort()).toEqual([
      "inventory.dayBook",
      "inventory.inventoryAccount",
      "inventory.offsetAccount",
    ]);
    expect(
      errorsOf(
        valid((s) =>
          Object.assign(s.inventory, {
            enabled: true,
            dayBook: "3",
            inventoryAccount: "5500",
            offsetAccount: "5500",
          }),
        ),
      ),
    ).toEqual({ "inventory.offsetAccount": "settings.offset_same_as_inventory" });
  });
  it("creditor integration needs a day book, a supplier group and a standard account", () => {
    expect(Object.keys(errorsOf(valid((s) => (s.creditor.enabled = true)))).sort()).toEqual([
      "accounting.standardAccount",
      "creditor.dayBook",
      "creditor.supplierGroup",
    ]);
  });
  it("refuses choices that are not numbers from a list, and over-long product numbers", () => {
    expect(errorsOf(valid((s) => (s.accounting.standardAccount = "1310; drop table")))).toHaveProperty(
      "accounting.standardAccount",
    );
    expect(errorsOf(valid((s) => (s.debtor.emptyLineProduct = "x".repeat(26))))).toHaveProperty(
      "debtor.emptyLineProduct",
    );
    expect(
      errorsOf({ ...defaultSettings(), inventory: { ...defaultSettings().inventory, frequency: "hourly" } }),
    ).toHaveProperty("inventory.frequency");
  });
  it("completes stored settings from an older version with defaults", () => {
    expect(withDefaults({ debtor: { enabled: true } }).debtor).toEqual({
      ...defaultSettings().debtor,
      enabled: true,
    });
  });
  it("diffs exactly the fields that changed", () => {
    const arb = fc.record({ a: fc.boolean(), b: fc.constantFrom("", "1310", "5500"), c: fc.boolean() });
    fc.assert(
      fc.property(arb, arb, (x, y) => {
        const before = valid(
          (s) =>
            Object.assign(s.debtor, { enabled: x.a, postInvoices: x.c }) && (s.inventory.offsetAccount = x.b),
        );
        const after = valid(
          (s) =>
            Object.assign(s.debtor, { enabled: y.a, postInvoices: y.c }) && (s.inventory.offsetAccount = y.b),
        );
        const fields = diffSettings(before, after).map((c) => c.field);
        expect(fields.includes("debtor.enabled")).toBe(x.a !== y.a);
        expect(fields.includes("debtor.postInvoices")).toBe(x.c !== y.c);
        expect(fields.includes("inventory.offsetAccount")).toBe(x.b !== y.b);
        expect(fields.length).toBe(Number(x.a !== y.a) + Number(x.c !== y.c) + Number(x.b !== y.b));
      }),
    );
  });
});

describe("field labels for the history", () => {
  it("names every settings field in the customer's words, in both languages", () => {
    for (const locale of ["en", "da"] as const) {
      for (const path of Object.keys(flatten(defaultSettings()))) {
        const text = label(locale, path);
        expect(text).not.toMatch(/^(creditor|accounting|debtor|products|inventory)\./);
        expect(text.split(" › ").pop()).not.toMatch(/^[a-z]+[A-Z]/);
      }
    }
    expect(label("en", "inventory.offsetAccount")).toBe("Daily inventory value update › Offset account");
    expect(label("da", "creditor.dayBook")).toBe("Leverandørfakturaer › Kassekladde");
  });
});
