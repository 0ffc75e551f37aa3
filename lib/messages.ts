/**
 * What `lib/` tells a person, as a code with parameters, never as a sentence: background work has no
 * browser and no language, and a stored outcome is read later in whichever language its reader uses.
 * `app/` words each code from the message catalog (`app/i18n/messages/*.json`, under `codes`), and a
 * test checks that every code here has words in every language.
 */
export const MESSAGE_CODES = [
  "installation.not_found",
  "request.malformed",
  // Saving settings
  "settings.uninstalled",
  "settings.economic_revoked",
  "settings.rackbeat_revoked",
  "settings.economic_refused_access",
  "settings.service_unreachable",
  "settings.version_conflict",
  "settings.too_many_saves",
  "settings.saved_concurrently",
  "settings.startup_sync_once",
  "settings.nothing_activated",
  "settings.account_missing",
  "settings.account_barred",
  "settings.account_not_postable",
  "settings.account_blocks_direct_entries",
  "settings.day_book_missing",
  "settings.day_book_refuses",
  "settings.matrix_row_stale",
  "settings.supplier_group_missing",
  "settings.economic_layout_missing",
  "settings.rackbeat_layout_missing",
  "settings.empty_line_product_missing",
  "settings.vat_zone_missing",
  "settings.customer_group_missing",
  "settings.mapped_value_missing",
  "settings.rackbeat_layouts_unmatched",
  "settings.mapping_required",
  // The settings form's own rules (zod messages; no parameters)
  "settings.choose",
  "settings.product_number_length",
  "settings.never_post_ean_needs_post",
  "settings.creditor_supplier_group_required",
  "settings.creditor_day_book_required",
  "settings.standard_account_required",
  "settings.inventory_day_book_required",
  "settings.inventory_account_required",
  "settings.offset_account_required",
  "settings.offset_same_as_inventory",
  "settings.one_stop_vat_zone_required",
  "settings.one_stop_vat_group_required",
  "settings.alert_email_invalid",
  // Manual invoice transfer
  "manual.invoice_number_invalid",
  "manual.not_activated",
  "manual.invoice_not_found",
  "manual.rackbeat_unreachable",
  "manual.invoice_not_booked",
  "manual.queued",
  "manual.queued_again",
  "manual.already_on_its_way",
  "manual.already_transferred",
  "manual.too_many",
  // Connecting Rackbeat with a pasted API key
  "connect.no_install_in_progress",
  "connect.rate_limited",
  "connect.key_refused",
  "connect.rackbeat_unreachable",
  "connect.account_already_installed",
  // Transfers (stored on the outbox row, worded when shown)
  "transfer.service_unreachable",
  "transfer.service_busy",
  "transfer.economic_access_revoked",
  "transfer.economic_refused",
  "transfer.rackbeat_access_revoked",
  "transfer.rackbeat_forbidden",
  "transfer.rackbeat_refused",
  "transfer.internal",
  "transfer.not_booked",
  "transfer.document_missing",
  "transfer.part_not_active",
  "transfer.layout_not_matched",
  "transfer.settings_incomplete",
  "transfer.no_accounting_year",
  "transfer.one_stop_vat_country_missing",
  "transfer.value_not_mapped",
  "transfer.product_number_too_long",
  "transfer.supplier_invoice_vat_mismatch",
  "transfer.economic_record_unreadable",
  "transfer.mark_as_sent_failed",
  "transfer.mark_as_sent_unavailable",
  "transfer.inventory_value_unreadable",
  "transfer.inventory_waits_for_earlier",
  "transfer.inventory_later_posted",
  "transfer.order_empty_line_product_missing",
  "transfer.order_only_text",
  "transfer.order_totals_differ",
  "transfer.order_customer_unmappable",
  // Alert e-mails (lib/alerts/), on their outbox row
  "alert.off",
  "alert.no_address",
  "alert.mail_not_configured",
  "alert.mail_not_sent",
  "alert.nothing_to_say",
  // Start-up synchronization, per record
  "startup_sync.unmappable",
  "startup_sync.rackbeat_refused",
  // Webhook answers (read by Rackbeat's delivery log and by support)
  "webhook.headers_missing",
  "webhook.body_not_json",
  "webhook.event_mismatch",
  "webhook.body_not_object",
  "webhook.body_too_large",
  "webhook.key_invalid",
  "webhook.duplicate",
  "webhook.not_accepted",
  "webhook.uninstalled",
  "webhook.received",
] as const;

export type MessageCode = (typeof MESSAGE_CODES)[number];
export type MessageParams = Record<string, string | number>;
export type Message = { code: MessageCode; params?: MessageParams };

export const message = (code: MessageCode, params?: MessageParams): Message =>
  params ? { code, params } : { code };

/** Field path → message, for errors shown next to the field they belong to. */
export type FieldMessages = Record<string, Message>;
