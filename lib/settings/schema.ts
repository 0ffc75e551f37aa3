import { z } from "zod";
import type { MessageCode } from "@/lib/messages";
import { ONE_STOP_VAT_COUNTRY_CODES, type OneStopVatCountry } from "./eu-countries";
import { emptyMappings, RACKBEAT_VAT_ZONES } from "./mappings";

/**
 * The integration settings, one field per setting of the customer guide. One schema serves the form
 * (react-hook-form) and the server action. A choice from a list is a string: "" means "not chosen".
 * Messages are codes of lib/messages.ts, worded by the form in the reader's language.
 */
const choice = z
  .string()
  .trim()
  .regex(/^\d*$/, "settings.choose" satisfies MessageCode);

export const FREQUENCIES = ["daily", "weekly", "monthly"] as const;

/** matrix key: `<Rackbeat product group number>:<e-conomic VAT zone number>` */
export const matrixKey = (productGroup: string | number, vatZone: string | number) =>
  `${productGroup}:${vatZone}`;

export const settingsSchema = z
  .object({
    creditor: z.object({
      enabled: z.boolean(),
      supplierGroup: choice,
      dayBook: choice,
    }),
    accounting: z.object({
      standardAccount: choice,
      matrix: z.record(z.string().regex(/^\d+:\d+$/), choice),
    }),
    debtor: z.object({
      enabled: z.boolean(),
      useActualQuantity: z.boolean(),
      postInvoices: z.boolean(),
      neverPostEanInvoices: z.boolean(),
      markInvoicesAsSent: z.boolean(),
      /** Orders registered as sent in e-conomic → Rackbeat, every five minutes (lib/orders/). */
      bringOrders: z.boolean(),
      emptyLineProduct: z.string().trim().max(25, "settings.product_number_length"),
      oneStopVat: z.boolean(),
      /** Per EU country: the e-conomic VAT zone and customer group for One Stop VAT sales to private customers. */
      oneStopVatCountries: z.partialRecord(
        z.enum(ONE_STOP_VAT_COUNTRY_CODES as [OneStopVatCountry, ...OneStopVatCountry[]]),
        z.object({ vatZone: choice, customerGroup: choice }),
      ),
    }),
    products: z.object({ useActualCostPrice: z.boolean() }),
    layouts: z.record(z.string().regex(/^\d+$/), choice),
    /** Rackbeat value → e-conomic number, per kind (lib/settings/mappings.ts): never the same number by accident. */
    mappings: z.object({
      vatZones: z.partialRecord(z.enum(RACKBEAT_VAT_ZONES), choice),
      paymentTerms: z.record(z.string().regex(/^\d+$/), choice),
      units: z.record(z.string().regex(/^\d+$/), choice),
      productGroups: z.record(z.string().regex(/^\d+$/), choice),
      customerGroups: z.record(z.string().regex(/^\d+$/), choice),
    }),
    inventory: z.object({
      enabled: z.boolean(),
      frequency: z.enum(FREQUENCIES),
      dayBook: choice,
      inventoryAccount: choice,
      offsetAccount: choice,
    }),
    startupSync: z.boolean(),
    /** E-mail when transfers fail or wait on a setting (a daily digest) and at once when paused (lib/alerts/). */
    alerts: z.object({
      enabled: z.boolean(),
      /** Empty: the installer's e-mail (`installations.contact_email`), which the form fills in. */
      email: z
        .string()
        .trim()
        .max(254, "settings.alert_email_invalid")
        .refine((v) => v === "" || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), "settings.alert_email_invalid"),
    }),
  })
  .superRefine((s, ctx) => {
    const need = (condition: boolean, path: string[], message: MessageCode) => {
      if (condition) ctx.addIssue({ code: "custom", path, message });
    };
    need(
      s.debtor.neverPostEanInvoices && !s.debtor.postInvoices,
      ["debtor", "neverPostEanInvoices"],
      "settings.never_post_ean_needs_post",
    );
    for (const [country, row] of Object.entries(s.debtor.oneStopVatCountries)) {
      need(
        s.debtor.oneStopVat && !row?.vatZone,
        ["debtor", "oneStopVatCountries", country, "vatZone"],
        "settings.one_stop_vat_zone_required",
      );
      need(
        s.debtor.oneStopVat && !row?.customerGroup,
        ["debtor", "oneStopVatCountries", country, "customerGroup"],
        "settings.one_stop_vat_group_required",
      );
    }
    need(
      s.creditor.enabled && !s.creditor.supplierGroup,
      ["creditor", "supplierGroup"],
      "settings.creditor_supplier_group_required",
    );
    need(
      s.creditor.enabled && !s.creditor.dayBook,
      ["creditor", "dayBook"],
      "settings.creditor_day_book_required",
    );
    need(
      s.creditor.enabled && !s.accounting.standardAccount,
      ["accounting", "standardAccount"],
      "settings.standard_account_required",
    );
    need(
      s.inventory.enabled && !s.inventory.dayBook,
      ["inventory", "dayBook"],
      "settings.inventory_day_book_required",
    );
    need(
      s.inventory.enabled && !s.inventory.inventoryAccount,
      ["inventory", "inventoryAccount"],
      "settings.inventory_account_required",
    );
    need(
      s.inventory.enabled && !s.inventory.offsetAccount,
      ["inventory", "offsetAccount"],
      "settings.offset_account_required",
    );
    need(
      s.inventory.enabled &&
        !!s.inventory.offsetAccount &&
        s.inventory.offsetAccount === s.inventory.inventoryAccount,
      ["inventory", "offsetAccount"],
      "settings.offset_same_as_inventory",
    );
  });

export type SettingsValues = z.infer<typeof settingsSchema>;

export function defaultSettings(): SettingsValues {
  return {
    creditor: { enabled: false, supplierGroup: "", dayBook: "" },
    accounting: { standardAccount: "", matrix: {} },
    debtor: {
      enabled: false,
      useActualQuantity: false,
      postInvoices: false,
      neverPostEanInvoices: false,
      markInvoicesAsSent: false,
      // On with the customer-invoice part: the guide lists orders among what it synchronizes (README).
      bringOrders: true,
      emptyLineProduct: "",
      oneStopVat: false,
      oneStopVatCountries: {},
    },
    products: { useActualCostPrice: false },
    layouts: {},
    mappings: emptyMappings(),
    inventory: { enabled: false, frequency: "daily", dayBook: "", inventoryAccount: "", offsetAccount: "" },
    startupSync: false,
    alerts: { enabled: true, email: "" },
  };
}

/** Stored settings (possibly from an older version of this app) completed with today's defaults. */
export function withDefaults(stored: unknown): SettingsValues {
  const d = defaultSettings();
  const s = (stored && typeof stored === "object" ? stored : {}) as Partial<SettingsValues>;
  return {
    creditor: { ...d.creditor, ...s.creditor },
    accounting: { ...d.accounting, ...s.accounting, matrix: { ...s.accounting?.matrix } },
    debtor: {
      ...d.debtor,
      ...s.debtor,
      oneStopVatCountries: { ...s.debtor?.oneStopVatCountries },
    },
    products: { ...d.products, ...s.products },
    layouts: { ...s.layouts },
    mappings: {
      vatZones: { ...s.mappings?.vatZones },
      paymentTerms: { ...s.mappings?.paymentTerms },
      units: { ...s.mappings?.units },
      productGroups: { ...s.mappings?.productGroups },
      customerGroups: { ...s.mappings?.customerGroups },
    },
    inventory: { ...d.inventory, ...s.inventory },
    startupSync: s.startupSync ?? d.startupSync,
    alerts: { ...d.alerts, ...s.alerts },
  };
}

/** Flattens to `a.b.c` → value, for field errors and the audit log's old → new. */
export function flatten(value: unknown, prefix = ""): Record<string, unknown> {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.fromEntries(
      Object.entries(value).flatMap(([k, v]) => Object.entries(flatten(v, prefix ? `${prefix}.${k}` : k))),
    );
  }
  return { [prefix]: value };
}

export type SettingsChange = { field: string; from: unknown; to: unknown };

export function diffSettings(before: SettingsValues, after: SettingsValues): SettingsChange[] {
  const a = flatten(before);
  const b = flatten(after);
  const normalise = (v: unknown) => (v === undefined ? "" : v);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .sort()
    .filter((k) => normalise(a[k]) !== normalise(b[k]))
    .map((field) => ({ field, from: normalise(a[field]), to: normalise(b[field]) }));
}
