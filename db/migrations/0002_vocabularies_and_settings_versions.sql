CREATE TABLE "settings_versions" (
	"installation_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"values" jsonb NOT NULL,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settings_versions_installation_id_version_pk" PRIMARY KEY("installation_id","version")
);
--> statement-breakpoint
ALTER TABLE "transfer_attempts" ADD COLUMN "error_code" text;--> statement-breakpoint
ALTER TABLE "transfer_attempts" ADD COLUMN "error_params" jsonb;--> statement-breakpoint
ALTER TABLE "transfer_attempts" ADD COLUMN "vendor_message" text;--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "error_code" text;--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "error_params" jsonb;--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "vendor_message" text;--> statement-breakpoint
ALTER TABLE "settings_versions" ADD CONSTRAINT "settings_versions_installation_id_installations_id_fk" FOREIGN KEY ("installation_id") REFERENCES "public"."installations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Data written before this migration: the current settings become their own snapshot; a transfer pointing
-- at an older version keeps no pointer; webhook receipts leave the customer's change history.
INSERT INTO "settings_versions" ("installation_id", "version", "values", "actor", "created_at") SELECT "installation_id", "version", "values", 'migration', "updated_at" FROM "settings";--> statement-breakpoint
UPDATE "transfers" t SET "settings_version" = NULL WHERE "settings_version" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "settings_versions" v WHERE v."installation_id" = t."installation_id" AND v."version" = t."settings_version");--> statement-breakpoint
DELETE FROM "audit_log" WHERE "action" NOT IN ('installation.installed', 'installation.reinstalled', 'installation.uninstalled', 'installation.economic_revoked', 'installation.economic_reconnected', 'settings.saved', 'settings.activated', 'transfer.manual_requested');--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_settings_version_fk" FOREIGN KEY ("installation_id","settings_version") REFERENCES "public"."settings_versions"("installation_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_action_ck" CHECK (action in ('installation.installed', 'installation.reinstalled', 'installation.uninstalled', 'installation.economic_revoked', 'installation.economic_reconnected', 'settings.saved', 'settings.activated', 'transfer.manual_requested'));--> statement-breakpoint
ALTER TABLE "installations" ADD CONSTRAINT "installations_status_ck" CHECK (status in ('active', 'economic_revoked', 'uninstalled'));--> statement-breakpoint
ALTER TABLE "installations" ADD CONSTRAINT "installations_rackbeat_token_kind_ck" CHECK (rackbeat_token_kind in ('integration', 'api_key'));--> statement-breakpoint
ALTER TABLE "pending_installs" ADD CONSTRAINT "pending_installs_origin_ck" CHECK (origin in ('rackbeat_first', 'economic_first', 'reconnect', 'signin'));--> statement-breakpoint
ALTER TABLE "transfer_attempts" ADD CONSTRAINT "transfer_attempts_outcome_ck" CHECK (outcome in ('succeeded', 'retry', 'failed', 'paused'));--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_kind_ck" CHECK (kind in ('customer_invoice', 'supplier_invoice', 'product', 'customer', 'supplier', 'inventory_value', 'startup_sync'));--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_status_ck" CHECK (status in ('pending', 'running', 'succeeded', 'failed', 'cancelled'));