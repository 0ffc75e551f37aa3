/**
 * Every name the vendors' documentation leaves UNCERTAIN (reference/*.md), in one place, so that
 * correcting one against the live services is a one-line change.
 */
export const UNCERTAIN = {
  economic: {
    /** Query parameter carrying the grant token on redirectUrl; third-party code falls back to the second. */
    grantTokenParams: ["token", "agreementGrantToken"],
    /**
     * Whether each approval on the grant page issues a new grant token. We assume so (the emulator does),
     * and use a token from a URL once only (lib/installations/grants.ts). If e-conomic hands out the same
     * token again, set this false: a repeated token is then accepted when this browser started the flow.
     */
    newGrantTokenPerApproval: true,
    /** Locales the grant page accepts; we pick by the browser's language. */
    grantLocales: { da: "da-DK", en: "en-US" },
  },
  rackbeat: {
    /** Where a customer finds the Apps menu in Rackbeat (User settings > Apps). */
    appsPagePath: "/apps",
    /**
     * Webhook events this app subscribes to. Only `plugin.uninstalled` is confirmed; the rest are
     * inferred by analogy (rackbeat-api.md §5).
     */
    webhookEvents: {
      pluginUninstalled: "plugin.uninstalled",
      customerInvoiceBooked: "customer_invoice.booked",
      supplierInvoiceBooked: "supplier_invoice.booked",
      productCreated: "product.created",
      productUpdated: "product.updated",
      customerCreated: "customer.created",
      customerUpdated: "customer.updated",
      supplierCreated: "supplier.created",
      supplierUpdated: "supplier.updated",
    },
    /**
     * Fields of a customer/supplier invoice the transfers read whose exact names are not confirmed
     * (rackbeat-api.md §6: `invoice_date` is KG's; `booked_at`, line discounts and the layout on an
     * invoice are inferred). An `ean` on an invoice is read where present, but the EAN that decides is the
     * customer's (§8). The emulator serves these names, and no `ean` on invoices.
     */
    invoiceFields: [
      "invoice_date",
      "due_date",
      "layout_id",
      "ean",
      "lines[].discount_percentage",
      "supplier_invoice_number",
    ],
    /**
     * The time zone in which Rackbeat reads `updated_at_from` (rackbeat-api.md §8 documents the filter and
     * its `YYYY-MM-DD HH:MM:SS` format, not the zone). The sweep sends UTC: a server reading it as
     * Copenhagen time would start earlier and only send more (lib/transfers/reconcile.ts).
     */
    updatedAtFilterTimeZone: "UTC",
    /** Rackbeat's `currency_rate` semantics (per 1 or per 100 units?) are unknown: drafts leave e-conomic's
     * `exchangeRate` out, so e-conomic uses the day's rate. */
    sendsExchangeRate: false,
    /**
     * No API to mark a Rackbeat invoice as sent is documented (rackbeat-api.md: "No sent/transferred flag
     * known"). "Mark invoices as sent" POSTs here; if Rackbeat answers 404, each mark shows as not done on
     * the transfer, the invoice itself is unaffected, and this path is the one line to correct.
     */
    markAsSentPath: (invoiceNumber: number | string) => `/customer-invoices/${invoiceNumber}/mark-as-sent`,
    /** Largest `limit` Rackbeat list endpoints accept (SDKs use 200 and 1000; the real maximum is unknown). */
    listPageLimit: 200,
    /**
     * The books-match report's date filter on invoices: the names are documented (rackbeat-api.md §8,
     * "on invoices `invoice_date_from`/`invoice_date_to`"); their value format is not — the changed-since
     * filter's `YYYY-MM-DD HH:MM:SS` is used, the whole day. A 422 falls back to the booked list, dated here.
     */
    invoiceDateFilter: {
      from: (day: string) => `invoice_date_from=${encodeURIComponent(`${day} 00:00:00`)}`,
      to: (day: string) => `invoice_date_to=${encodeURIComponent(`${day} 23:59:59`)}`,
    },
    /**
     * Where `reports/valuation/total` puts the grand total: `total_value` is a third-party script's guess
     * (rackbeat-api.md §6). Read in this order, at the top level or under `data`; a number or a numeric
     * string. No recognised value → the posting fails and says so (never a zero or a guess).
     */
    valuationTotalFields: ["total_value", "total", "value", "inventory_value"],
    /**
     * Where a Rackbeat order made from an e-conomic order carries that order's number, so that a repeated
     * attempt finds it instead of creating a second (Rackbeat takes no idempotency key). Rackbeat numbers
     * its orders itself (a given number is not documented as accepted, and would meet Rackbeat's own
     * numbering); `our_reference` is a confirmed order field (rackbeat-api.md §6, LC `Order`) but not a
     * confirmed filter (orders filter on number, created_at, updated_at only, §4), so the lookup lists the
     * orders changed since the transfer was queued (`updated_at_from`, §8) and matches this text itself.
     */
    orderSource: {
      field: "our_reference",
      text: (orderNumber: number) => `e-conomic order ${orderNumber}`,
    },
    /** Order fields not confirmed by any source: the order's date and its free text. */
    orderFields: { date: "order_date", note: "note" },
  },
} as const;

export type RackbeatWebhookEvent =
  (typeof UNCERTAIN.rackbeat.webhookEvents)[keyof typeof UNCERTAIN.rackbeat.webhookEvents];
export const RACKBEAT_WEBHOOK_EVENTS: readonly RackbeatWebhookEvent[] = Object.values(
  UNCERTAIN.rackbeat.webhookEvents,
);
