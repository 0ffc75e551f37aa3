CREATE TABLE "rate_limits" (
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_limits_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
CREATE TABLE "used_grants" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_receipts" (
	"installation_id" uuid NOT NULL,
	"event" text NOT NULL,
	"body_hash" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_receipts_installation_id_event_body_hash_pk" PRIMARY KEY("installation_id","event","body_hash")
);
--> statement-breakpoint
ALTER TABLE "installations" ADD COLUMN "binding_generation" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "pending_installs" ADD COLUMN "rackbeat_access_token" text;--> statement-breakpoint
ALTER TABLE "pending_installs" ADD COLUMN "rackbeat_token_kind" text;--> statement-breakpoint
ALTER TABLE "pending_installs" ADD COLUMN "rackbeat_app_slug" text;--> statement-breakpoint
ALTER TABLE "pending_installs" ADD COLUMN "rackbeat_redirect_to" text;--> statement-breakpoint
ALTER TABLE "pending_installs" ADD COLUMN "rackbeat_account_id" text;--> statement-breakpoint
ALTER TABLE "pending_installs" ADD COLUMN "rackbeat_company_name" text;--> statement-breakpoint
ALTER TABLE "pending_installs" ADD COLUMN "client_key" text;--> statement-breakpoint
ALTER TABLE "webhook_receipts" ADD CONSTRAINT "webhook_receipts_installation_id_installations_id_fk" FOREIGN KEY ("installation_id") REFERENCES "public"."installations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_receipts_received_idx" ON "webhook_receipts" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "pending_installs_client_idx" ON "pending_installs" USING btree ("client_key","expires_at");