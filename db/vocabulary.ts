/**
 * The fixed vocabularies of the data model. Each list is the one TypeScript union for its column and
 * the check constraint that holds it in the database; adding a word means adding it here and
 * generating a migration.
 */
export const INSTALLATION_STATUSES = [
  "active",
  "economic_revoked",
  "rackbeat_revoked",
  "uninstalled",
] as const;
export type InstallationStatus = (typeof INSTALLATION_STATUSES)[number];

/** How we hold Rackbeat access: accepted from the Apps menu, or a personal API key pasted by the customer. */
export const RACKBEAT_TOKEN_KINDS = ["integration", "api_key"] as const;
export type RackbeatTokenKind = (typeof RACKBEAT_TOKEN_KINDS)[number];

export const PENDING_INSTALL_ORIGINS = ["rackbeat_first", "economic_first", "reconnect", "signin"] as const;
export type PendingInstallOrigin = (typeof PENDING_INSTALL_ORIGINS)[number];

/** A pending install's states (lib/installations/install-state.ts draws the transitions). */
export const PENDING_INSTALL_STATES = [
  "started",
  "both_sides_known",
  "confirming",
  "confirmed",
  "declined",
  "expired",
  "abandoned",
] as const;
export type PendingInstallState = (typeof PENDING_INSTALL_STATES)[number];

export const TRANSFER_STATUSES = ["pending", "running", "succeeded", "failed", "cancelled"] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** `continued`: a long transfer (the start-up sync) stopped at a checkpoint within its time and goes on. */
export const ATTEMPT_OUTCOMES = ["succeeded", "retry", "failed", "paused", "continued"] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** The e-conomic master data the app keeps a local record of (number and hash of what was sent). */
export const ECONOMIC_RECORD_KINDS = ["customer", "product", "supplier"] as const;
export type EconomicRecordKind = (typeof ECONOMIC_RECORD_KINDS)[number];

/** What the start-up synchronization brings from e-conomic to Rackbeat, in the order it brings it. */
export const STARTUP_SYNC_ENTITIES = [
  "layouts",
  "product_groups",
  "customer_groups",
  "supplier_groups",
  "products",
  "customers",
  "suppliers",
] as const;
export type StartupSyncEntity = (typeof STARTUP_SYNC_ENTITIES)[number];

/** What the change history records; each is worded for the customer by the message catalog (`audit.*`). */
export const AUDIT_ACTIONS = [
  "installation.installed",
  "installation.reinstalled",
  "installation.uninstalled",
  "installation.economic_revoked",
  "installation.economic_reconnected",
  "installation.rackbeat_revoked",
  "installation.launch_link_replaced",
  "settings.saved",
  "settings.activated",
  "transfer.manual_requested",
  "transfer.retried",
  "transfer.requeued_after_settings",
  "transfer.mark_as_sent_unavailable",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** `column in ('a', 'b')` for a check constraint; the words are our own constants, never input. */
/**
 * The transfer kinds that run while an installation is paused (`runsWhilePaused`, lib/alerts/): their due
 * rows have an index of their own, so that finding them never walks a paused installation's backlog and
 * no other row pays for it. tests/unit/queue-owner.test.ts holds it equal to the registry's list.
 */
export const WHILE_PAUSED_KINDS = ["alert_email"] as const;

export const oneOf = (words: readonly string[]) => words.map((w) => `'${w}'`).join(", ");
