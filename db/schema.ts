import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

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
    /** integration (accepted from the Apps menu) | api_key (pasted personal key) */
    rackbeatTokenKind: text("rackbeat_token_kind").notNull().default("integration"),
    economicAgreementNumber: integer("economic_agreement_number").notNull(),
    economicCompanyName: text("economic_company_name").notNull(),
    economicGrantToken: text("economic_grant_token"),
    /** active | economic_revoked | uninstalled */
    status: text("status").notNull().default("active"),
    /** Secret part of the launch URL registered in Rackbeat; stored as a hash. */
    launchSecretHash: text("launch_secret_hash"),
    uninstalledAt: timestamp("uninstalled_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("installations_rackbeat_account_uq").on(t.rackbeatAccountId),
    index("installations_agreement_idx").on(t.economicAgreementNumber),
  ],
);

/** An install in progress: waits for the other side's token, bound to a state cookie (stored hashed). */
export const pendingInstalls = pgTable(
  "pending_installs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    stateHash: text("state_hash").notNull(),
    /** rackbeat_first | economic_first | reconnect | signin */
    origin: text("origin").notNull(),
    /** For reconnect: the installation whose e-conomic grant is being renewed. */
    installationId: uuid("installation_id").references(() => installations.id, { onDelete: "cascade" }),
    rackbeatRequestToken: text("rackbeat_request_token"),
    economicGrantToken: text("economic_grant_token"),
    economicAgreementNumber: integer("economic_agreement_number"),
    economicCompanyName: text("economic_company_name"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("pending_installs_state_uq").on(t.stateHash),
    index("pending_installs_expires_idx").on(t.expiresAt),
  ],
);

/** The customer's integration settings. `version` increases on every save; transfers record it. */
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
 * The outbox: one row per piece of work that writes to an external system, inserted in the same
 * transaction as its cause. Doubles as the customer's status display.
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
    /** customer_invoice | supplier_invoice | product | customer | supplier | inventory_value | ... */
    kind: text("kind").notNull(),
    sourceId: text("source_id").notNull(),
    /** pending | running | succeeded | failed | cancelled */
    status: text("status").notNull().default("pending"),
    payload: jsonb("payload")
      .notNull()
      .default(sql`'{}'::jsonb`),
    attempts: integer("attempts").notNull().default(0),
    runAfter: timestamp("run_after", { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    leaseOwner: text("lease_owner"),
    lastError: text("last_error"),
    lastErrorHint: text("last_error_hint"),
    /** What was created in e-conomic (draft/booked invoice number, voucher, entity number). */
    economicReference: text("economic_reference"),
    settingsVersion: integer("settings_version"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("transfers_installation_key_uq").on(t.installationId, t.idempotencyKey),
    index("transfers_due_idx").on(t.status, t.runAfter),
    index("transfers_installation_created_idx").on(t.installationId, t.createdAt),
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
    /** succeeded | retry | failed | paused */
    outcome: text("outcome"),
    httpStatus: integer("http_status"),
    economicLogId: text("economic_log_id"),
    message: text("message"),
  },
  (t) => [index("transfer_attempts_transfer_idx").on(t.transferId)],
);

/** Who did what, when: every action and settings change. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    installationId: uuid("installation_id").references(() => installations.id, { onDelete: "cascade" }),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    details: jsonb("details")
      .notNull()
      .default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_installation_idx").on(t.installationId, t.createdAt)],
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
