import { z } from "zod";

/**
 * e-conomic's customers, suppliers and products as GET answers them, with the documented fields typed
 * (_customers.md, _suppliers.md, _products.md). Every schema is loose: a field we do not know is kept as
 * it came, because PUT replaces the whole record ("must include the full entity", _introduction.md) and
 * whatever we leave out is erased.
 */
const ref = <K extends string>(key: K, type: z.ZodType = z.number()) =>
  z.looseObject({ [key]: type, self: z.string().optional() } as Record<K | "self", z.ZodType>);

export const economicCustomerRecord = z.looseObject({
  customerNumber: z.number().int(),
  name: z.string(),
  currency: z.string(),
  customerGroup: ref("customerGroupNumber"),
  paymentTerms: ref("paymentTermsNumber"),
  vatZone: ref("vatZoneNumber"),
  address: z.string().optional(),
  city: z.string().optional(),
  zip: z.string().optional(),
  country: z.string().optional(),
  email: z.string().optional(),
  ean: z.string().optional(),
  corporateIdentificationNumber: z.string().optional(),
  vatNumber: z.string().optional(),
  creditLimit: z.number().optional(),
  barred: z.boolean().optional(),
  layout: ref("layoutNumber").optional(),
  salesPerson: ref("employeeNumber").optional(),
  attention: ref("customerContactNumber").optional(),
  customerContact: ref("customerContactNumber").optional(),
});

export const economicSupplierRecord = z.looseObject({
  supplierNumber: z.number().int(),
  name: z.string(),
  currency: z.string(),
  supplierGroup: ref("supplierGroupNumber").optional(),
  paymentTerms: ref("paymentTermsNumber"),
  vatZone: ref("vatZoneNumber"),
  address: z.string().optional(),
  city: z.string().optional(),
  zip: z.string().optional(),
  country: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  bankAccount: z.string().optional(),
  corporateIdentificationNumber: z.string().optional(),
  defaultInvoiceText: z.string().optional(),
  costAccount: ref("accountNumber").optional(),
  remittanceAdvice: z
    .looseObject({ creditorId: z.string().optional(), paymentType: ref("paymentTypeNumber").optional() })
    .optional(),
  barred: z.boolean().optional(),
});

export const economicProductRecord = z.looseObject({
  productNumber: z.string(),
  name: z.string(),
  productGroup: ref("productGroupNumber"),
  description: z.string().optional(),
  salesPrice: z.number().optional(),
  costPrice: z.number().optional(),
  recommendedPrice: z.number().optional(),
  barCode: z.string().optional(),
  barred: z.boolean().optional(),
  unit: ref("unitNumber").optional(),
  inventory: z.looseObject({ recommendedCostPrice: z.number().optional() }).optional(),
});

export const ECONOMIC_RECORD_SCHEMAS = {
  customer: economicCustomerRecord,
  supplier: economicSupplierRecord,
  product: economicProductRecord,
} as const;

export type EconomicRecord = Record<string, unknown>;
