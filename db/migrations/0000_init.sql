CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"installation_id" uuid,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "installations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rackbeat_account_id" text NOT NULL,
	"rackbeat_company_name" text NOT NULL,
	"rackbeat_access_token" text,
	"rackbeat_app_slug" text,
	"economic_agreement_number" integer NOT NULL,
	"economic_company_name" text NOT NULL,
	"economic_grant_token" text,
	"status" text DEFAULT 'active' NOT NULL,
	"launch_secret_hash" text,
	"uninstalled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pending_installs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"state_hash" text NOT NULL,
	"origin" text NOT NULL,
	"rackbeat_request_token" text,
	"economic_grant_token" text,
	"economic_agreement_number" integer,
	"economic_company_name" text,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"installation_id" uuid PRIMARY KEY NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"values" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"activated_at" timestamp with time zone,
	"startup_sync_chosen_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transfer_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transfer_id" bigint NOT NULL,
	"attempt" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text,
	"http_status" integer,
	"economic_log_id" text,
	"message" text
);
--> statement-breakpoint
CREATE TABLE "transfers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"installation_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"kind" text NOT NULL,
	"source_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"run_after" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"lease_owner" text,
	"last_error" text,
	"last_error_hint" text,
	"economic_reference" text,
	"settings_version" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_installation_id_installations_id_fk" FOREIGN KEY ("installation_id") REFERENCES "public"."installations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_installation_id_installations_id_fk" FOREIGN KEY ("installation_id") REFERENCES "public"."installations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_attempts" ADD CONSTRAINT "transfer_attempts_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_installation_id_installations_id_fk" FOREIGN KEY ("installation_id") REFERENCES "public"."installations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_installation_idx" ON "audit_log" USING btree ("installation_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "installations_rackbeat_account_uq" ON "installations" USING btree ("rackbeat_account_id");--> statement-breakpoint
CREATE INDEX "installations_agreement_idx" ON "installations" USING btree ("economic_agreement_number");--> statement-breakpoint
CREATE UNIQUE INDEX "pending_installs_state_uq" ON "pending_installs" USING btree ("state_hash");--> statement-breakpoint
CREATE INDEX "pending_installs_expires_idx" ON "pending_installs" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "transfer_attempts_transfer_idx" ON "transfer_attempts" USING btree ("transfer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_installation_key_uq" ON "transfers" USING btree ("installation_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "transfers_due_idx" ON "transfers" USING btree ("status","run_after");--> statement-breakpoint
CREATE INDEX "transfers_installation_created_idx" ON "transfers" USING btree ("installation_id","created_at");