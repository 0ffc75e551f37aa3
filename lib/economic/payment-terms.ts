/**
 * e-conomic's payment terms as `GET /payment-terms` describes them (_payment-terms.md). The type is
 * camel case; prose in the invoice documentation spells it "duedate", the enum does not.
 */
export const PAYMENT_TERMS_TYPES = [
  "net",
  "invoiceMonth",
  "paidInCash",
  "prepaid",
  "dueDate",
  "factoring",
  "invoiceWeekStartingSunday",
  "invoiceWeekStartingMonday",
  "creditcard",
] as const;
export type PaymentTermsType = (typeof PAYMENT_TERMS_TYPES)[number];

export type PaymentTerms = {
  paymentTermsNumber: number;
  name: string;
  paymentTermsType: PaymentTermsType;
  daysOfCredit?: number;
};

/**
 * Whether a draft on these terms must carry `dueDate`: only `dueDate` terms use it, and there it is
 * mandatory; for every other type e-conomic computes the due date itself (_invoices.md).
 */
export const draftNeedsDueDate = (terms: Pick<PaymentTerms, "paymentTermsType">) =>
  terms.paymentTermsType === "dueDate";
