import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import {
  ATTEMPT_OUTCOMES,
  AUDIT_ACTIONS,
  ECONOMIC_RECORD_KINDS,
  INSTALLATION_STATUSES,
  oneOf,
  PENDING_INSTALL_ORIGINS,
  PENDING_INSTALL_STATES,
  RACKBEAT_TOKEN_KINDS,
  STARTUP_SYNC_ENTITIES,
  TRANSFER_STATUSES,
  WHILE_PAUSED_KINDS,
} from "./vocabulary";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/** One Rackbeat account connected to one e-conomic agreement. Tokens are AES-256-GCM ciphertext. */
export const installations = pgTable(
  "installations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    rackbeatAccountId: text("rackbeat_account_id").notNull(),
    rackbeatCompanyName: text("rackbeat_company_name").notNull(),
    rackbeatAccessToken: text("rackbeat_access_token"),
    rackbeatAppSlug: text("rackbeat_app_slug"),
    rackbeatTokenKind: text("rackbeat_token_kind", { enum: RACKBEAT_TOKEN_KINDS })
      .notNull()
      .default("integration"),
    economicAgreementNumber: integer("economic_agreement_number").notNull(),
    economicCompanyName: text("economic_company_name").notNull(),
    economicGrantToken: text("economic_grant_token"),
    /**
     * The agreement's country as `/self` names it (`company.country`), read once when a transfer first
     * needs it: it decides whether a customer's VAT number may go in `vatNumber` (_customers.md).
     */
    economicCountry: text("economic_country"),
    /**
     * Rackbeat answered the guessed "mark as sent" call with 404/405 (`{ status, at }`): it offers no such
     * call, so none is made again until the setting is switched off and on (lib/transfers/mark-as-sent.ts).
     */
    markAsSentUnavailable: jsonb("mark_as_sent_unavailable").$type<{ status: number; at: string }>(),
    /**
     * Who hears about problems (lib/alerts/): the e-mail and language of the e-conomic user who installed
     * (`/self` → `user.email`, else `company.email`; `user.language.culture`). The settings may name
     * another address.
     */
    contactEmail: text("contact_email"),
    contactLocale: text("contact_locale"),
    status: text("status", { enum: INSTALLATION_STATUSES }).notNull().default("active"),
    /**
     * Increased whenever the installation is bound again (reinstall, a new agreement) or uninstalled.
     * A session names the generation it proved access to, so a change of hands ends that access.
     */
    bindingGeneration: integer("binding_generation").notNull().default(1),
    /** Secret part of the launch URL registered in Rackbeat; stored as a hash. */
    launchSecretHash: text("launch_secret_hash"),
    /**
     * The settings URL's secret rotates (lib/installations/launch-secret.ts): the one it replaced stays
     * valid until `previousLaunchSecretUntil`, so a Rackbeat page opened a moment before still works.
     */
    previousLaunchSecretHash: text("previous_launch_secret_hash"),
    previousLaunchSecretUntil: timestamp("previous_launch_secret_until", { withTimezone: true }),
    launchSecretRotatedAt: timestamp("launch_secret_rotated_at", { withTimezone: true }),
    uninstalledAt: timestamp("uninstalled_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("installations_rackbeat_account_uq").on(t.rackbeatAccountId),
    index("installations_agreement_idx").on(t.economicAgreementNumber),
    check("installations_status_ck", sql.raw(`status in (${oneOf(INSTALLATION_STATUSES)})`)),
    check(
      "installations_rackbeat_token_kind_ck",
      sql.raw(`rackbeat_token_kind in (${oneOf(RACKBEAT_TOKEN_KINDS)})`),
    ),
  ],
);

/**
 * An install in progress in one browser (bound to its state cookie, stored hashed). It collects both
 * sides — the accepted Rackbeat request and the verified e-conomic grant — and binds nothing until the
 * person in that browser confirms. Tokens are AES-256-GCM ciphertext.
 */
export const pendingInstalls = pgTable(
  "pending_installs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    stateHash: text("state_hash").notNull(),
    origin: text("origin", { enum: PENDING_INSTALL_ORIGINS }).notNull(),
    /** For reconnect: the installation whose e-conomic grant is being renewed. */
    installationId: uuid("installation_id").references(() => installations.id, { onDelete: "cascade" }),
    /** The Rackbeat side, once its request was accepted (or an API key checked). */
    rackbeatRequestToken: text("rackbeat_request_token"),
    rackbeatAccessToken: text("rackbeat_access_token"),
    rackbeatTokenKind: text("rackbeat_token_kind", { enum: RACKBEAT_TOKEN_KINDS }),
    rackbeatAppSlug: text("rackbeat_app_slug"),
    rackbeatRedirectTo: text("rackbeat_redirect_to"),
    rackbeatAccountId: text("rackbeat_account_id"),
    rackbeatCompanyName: text("rackbeat_company_name"),
    /** The e-conomic side, once its grant was verified with GET /self. */
    economicGrantToken: text("economic_grant_token"),
    economicAgreementNumber: integer("economic_agreement_number"),
    economicCompanyName: text("economic_company_name"),
    economicCountry: text("economic_country"),
    /** Hash of the client address that started it, for the cap on live pending installs per address. */
    clientKey: text("client_key"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** Written only by lib/installations/install-state.ts. */
    state: text("state", { enum: PENDING_INSTALL_STATES }).notNull().default("started"),
    /** When it reached confirmed, declined, expired or abandoned; and why, for the log. */
    endedAt: timestamp("ended_at", { withTimezone: true }),
    endReason: text("end_reason"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("pending_installs_state_uq").on(t.stateHash),
    index("pending_installs_expires_idx").on(t.expiresAt),
    index("pending_installs_client_idx").on(t.clientKey, t.expiresAt),
    check("pending_installs_origin_ck", sql.raw(`origin in (${oneOf(PENDING_INSTALL_ORIGINS)})`)),
    check("pending_installs_state_ck", sql.raw(`state in (${oneOf(PENDING_INSTALL_STATES)})`)),
  ],
);

/**
 * e-conomic grant tokens already used to install, reconnect or sign in. A grant arriving in a URL is used
 * once, so a link left in a browser's history or a request log does not sign anyone in later.
 */
export const usedGrants = pgTable("used_grants", {
  tokenHash: text("token_hash").primaryKey(),
  usedAt: timestamp("used_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Fixed-window counters for anonymous work (install starts, callbacks, API-key checks), per client
 * address, kept in Postgres so that the limits hold across serverless instances.
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

/** Webhook deliveries already acknowledged: a redelivery of the same body is acknowledged again, no more. */
export const webhookReceipts = pgTable(
  "webhook_receipts",
  {
    installationId: uuid("installation_id")
      .notNull()
      .references(() => installations.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    bodyHash: text("body_hash").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.installationId, t.event, t.bodyHash] }),
    index("webhook_receipts_received_idx").on(t.receivedAt),
  ],
);

/** The customer's current integration settings. `version` increases on every save. */
export const settings = pgTable("settings", {
  installationId: uuid("installation_id")
    .primaryKey()
    .references(() => installations.id, { onDelete: "cascade" }),
  version: integer("version").notNull().default(1),
  values: jsonb("values")
    .notNull()
    .default(sql`'{}'::jsonb`),
  activatedAt: timestamp("activated_at", { withTimezone: true }),
  startupSyncChosenAt: timestamp("startup_sync_chosen_at", { withTimezone: true }),
  updatedAt: updatedAt(),
});

/**
 * Every saved version of the settings, never changed afterwards, so that a transfer's `settingsVersion`
 * points at exactly the settings it used.
 */
export const settingsVersions = pgTable(
  "settings_versions",
  {
    installationId: uuid("installation_id")
      .notNull()
      .references(() => installations.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    values: jsonb("values").notNull(),
    actor: text("actor").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.installationId, t.version] })],
);

/**
 * The outbox: one row per piece of work that writes to an external system, inserted in the same
 * transaction as its cause. Doubles as the customer's status display. A failure is stored as a code
 * with parameters (worded in the reader's language when shown) plus the vendor's own message.
 */
export const transfers = pgTable(
  "transfers",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    installationId: uuid("installation_id")
      .notNull()
      .references(() => installations.id, { onDelete: "cascade" }),
    /** e.g. customer_invoice:10042 — unique per installation */
    idempotencyKey: text("idempotency_key").notNull(),
    /** A registered kind (lib/transfers/registry.ts); not a database enum, so a kind is added in one file. */
    kind: text("kind").notNull(),
    sourceId: text("source_id").notNull(),
    status: text("status", { enum: TRANSFER_STATUSES }).notNull().default("pending"),
    payload: jsonb("payload")
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** Attempts since it was last queued (the retry allowance); the queue's requeue sets it back to 0. */
    attempts: integer("attempts").notNull().default(0),
    /** Attempts ever: more than one means an earlier attempt may have written, so the next one looks first. */
    attemptsTotal: integer("attempts_total").notNull().default(0),
    /** Asked to run once more while it ran (its source changed meanwhile): due again when it finishes. */
    rerun: boolean("rerun").notNull().default(false),
    runAfter: timestamp("run_after", { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    leaseOwner: text("lease_owner"),
    /**
     * When the current attempt started (set by the claim). The attempt that ends a transfer in success is
     * the row itself (started here, `completedAt`, `attempts`); `transfer_attempts` keeps the others, and
     * a requeue files the earlier success there before it starts anew: one write less per transfer.
     */
    startedAt: timestamp("started_at", { withTimezone: true }),
    /** An outcome code from lib/messages.ts, e.g. `transfer.invoice_not_booked`. */
    errorCode: text("error_code"),
    errorParams: jsonb("error_params"),
    /** e-conomic's (or Rackbeat's) own words for the failure, shown as they wrote them. */
    vendorMessage: text("vendor_message"),
    /** What was created in e-conomic (draft/booked invoice number, voucher, entity number). */
    economicReference: text("economic_reference"),
    settingsVersion: integer("settings_version"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("transfers_installation_key_uq").on(t.installationId, t.idempotencyKey),
    // The start-up synchronization runs once per installation, whatever key a caller might use.
    uniqueIndex("transfers_one_startup_sync_uq")
      .on(t.installationId)
      .where(sql`kind = 'startup_sync'`),
    // The claim walks each installation's due rows oldest first: an index walk however long the backlog.
    // Counting an installation's running rows (its concurrency cap) touches only those rows.
    index("transfers_installation_running_idx")
      .on(t.installationId)
      .where(sql`status = 'running'`),
    index("transfers_installation_due_idx")
      .on(t.installationId, t.runAfter, t.id)
      .where(sql`status in ('pending', 'running')`),
    index("transfers_installation_created_idx").on(t.installationId, t.createdAt),
    // Kinds that run while an installation is paused (alerts): found by their own small index, not by
    // walking the paused installation's backlog; other rows are never in it.
    index("transfers_while_paused_due_idx")
      .on(t.runAfter, t.id)
      .where(sql.raw(`kind in (${oneOf(WHILE_PAUSED_KINDS)}) and status in ('pending', 'running')`)),
    foreignKey({
      name: "transfers_settings_version_fk",
      columns: [t.installationId, t.settingsVersion],
      foreignColumns: [settingsVersions.installationId, settingsVersions.version],
    }),
    check("transfers_status_ck", sql.raw(`status in (${oneOf(TRANSFER_STATUSES)})`)),
  ],
);

/** Every attempt at a transfer, for the customer's history and for support. */
export const transferAttempts = pgTable(
  "transfer_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    transferId: bigint("transfer_id", { mode: "number" })
      .notNull()
      .references(() => transfers.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    outcome: text("outcome", { enum: ATTEMPT_OUTCOMES }),
    httpStatus: integer("http_status"),
    economicLogId: text("economic_log_id"),
    errorCode: text("error_code"),
    errorParams: jsonb("error_params"),
    vendorMessage: text("vendor_message"),
  },
  (t) => [
    index("transfer_attempts_transfer_idx").on(t.transferId),
    check("transfer_attempts_outcome_ck", sql.raw(`outcome in (${oneOf(ATTEMPT_OUTCOMES)})`)),
  ],
);

/** The customer's change history: who did what, when. Not for machine events such as webhook receipts. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    installationId: uuid("installation_id").references(() => installations.id, { onDelete: "cascade" }),
    actor: text("actor").notNull(),
    action: text("action", { enum: AUDIT_ACTIONS }).notNull(),
    details: jsonb("details")
      .notNull()
      .default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_log_installation_idx").on(t.installationId, t.createdAt),
    check("audit_log_action_ck", sql.raw(`action in (${oneOf(AUDIT_ACTIONS)})`)),
  ],
);

/** Webhooks registered in Rackbeat for an installation; the token is the only proof a delivery is genuine. */
export const rackbeatWebhooks = pgTable(
  "rackbeat_webhooks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    installationId: uuid("installation_id")
      .notNull()
      .references(() => installations.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    rackbeatWebhookId: integer("rackbeat_webhook_id").notNull(),
    /** AES-256-GCM ciphertext; null once the installation is uninstalled. */
    token: text("token"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("rackbeat_webhooks_installation_event_uq").on(t.installationId, t.event)],
);

/**
 * What already exists in e-conomic per installation (customers, products, suppliers by number), with a
 * hash of what we last sent: an invoice whose customer and products are known and unchanged costs no
 * call for them.
 */
export const economicRecords = pgTable(
  "economic_records",
  {
    installationId: uuid("installation_id")
      .notNull()
      .references(() => installations.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ECONOMIC_RECORD_KINDS }).notNull(),
    number: text("number").notNull(),
    hash: text("hash").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.installationId, t.kind, t.number] }),
    check("economic_records_kind_ck", sql.raw(`kind in (${oneOf(ECONOMIC_RECORD_KINDS)})`)),
  ],
);

/** How far the reconcile sweep has looked at each kind of Rackbeat document, per installation. */
export const reconcileCheckpoints = pgTable(
  "reconcile_checkpoints",
  {
    installationId: uuid("installation_id")
      .notNull()
      .references(() => installations.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    /** Rackbeat's `updated_at` of the newest document the sweep has enqueued or passed over. */
    checkpoint: text("checkpoint").notNull(),
    sweptAt: timestamp("swept_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.installationId, t.kind] })],
);

/**
 * The start-up synchronization's progress per entity: the next e-conomic page and the record within it
 * to bring (the checkpoint a crashed or timed-out run resumes from), and the counts shown to the customer.
 */
export const startupSyncProgress = pgTable(
  "startup_sync_progress",
  {
    installationId: uuid("installation_id")
      .notNull()
      .references(() => installations.id, { onDelete: "cascade" }),
    entity: text("entity", { enum: STARTUP_SYNC_ENTITIES }).notNull(),
    total: integer("total"),
    page: integer("page").notNull().default(0),
    indexInPage: integer("index_in_page").notNull().default(0),
    created: integer("created").notNull().default(0),
    kept: integer("kept").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.installationId, t.entity] }),
    check("startup_sync_progress_entity_ck", sql.raw(`entity in (${oneOf(STARTUP_SYNC_ENTITIES)})`)),
  ],
);

/** A record the start-up synchronization could not bring, with Rackbeat's words: listed for the customer. */
export const startupSyncErrors = pgTable(
  "startup_sync_errors",
  {
    installationId: uuid("installation_id")
      .notNull()
      .references(() => installations.id, { onDelete: "cascade" }),
    entity: text("entity", { enum: STARTUP_SYNC_ENTITIES }).notNull(),
    number: text("number").notNull(),
    name: text("name"),
    errorCode: text("error_code").notNull(),
    errorParams: jsonb("error_params"),
    vendorMessage: text("vendor_message"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.installationId, t.entity, t.number] }),
    check("startup_sync_errors_entity_ck", sql.raw(`entity in (${oneOf(STARTUP_SYNC_ENTITIES)})`)),
  ],
);

/**
 * The inventory value posted per period: what the next period's difference is measured from. Written by
 * the inventory value transfer right after e-conomic took its voucher (or found no change), so a lost
 * finish never posts the same change twice.
 */
export const inventoryPostings = pgTable(
  "inventory_postings",
  {
    installationId: uuid("installation_id")
      .notNull()
      .references(() => installations.id, { onDelete: "cascade" }),
    /** The period's last local day, `YYYY-MM-DD` (lib/transfers/inventory/periods.ts). */
    period: text("period").notNull(),
    frequency: text("frequency").notNull(),
    /** Rackbeat's inventory value at the period's end, and the change posted, in øre. */
    valueOre: bigint("value_ore", { mode: "bigint" }).notNull(),
    differenceOre: bigint("difference_ore", { mode: "bigint" }).notNull(),
    /** The voucher, or null when the value did not change. */
    economicReference: text("economic_reference"),
    transferId: bigint("transfer_id", { mode: "number" }).references(() => transfers.id, {
      onDelete: "set null",
    }),
    postedAt: timestamp("posted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.installationId, t.period] })],
);
