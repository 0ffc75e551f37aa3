CREATE TABLE "startup_sync_errors" (
	"installation_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"number" text NOT NULL,
	"name" text,
	"error_code" text NOT NULL,
	"error_params" jsonb,
	"vendor_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "startup_sync_errors_installation_id_entity_number_pk" PRIMARY KEY("installation_id","entity","number"),
	CONSTRAINT "startup_sync_errors_entity_ck" CHECK (entity in ('layouts', 'product_groups', 'customer_groups', 'supplier_groups', 'products', 'customers', 'suppliers'))
);
--> statement-breakpoint
CREATE TABLE "startup_sync_progress" (
	"installation_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"total" integer,
	"page" integer DEFAULT 0 NOT NULL,
	"index_in_page" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"kept" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "startup_sync_progress_installation_id_entity_pk" PRIMARY KEY("installation_id","entity"),
	CONSTRAINT "startup_sync_progress_entity_ck" CHECK (entity in ('layouts', 'product_groups', 'customer_groups', 'supplier_groups', 'products', 'customers', 'suppliers'))
);
--> statement-breakpoint
ALTER TABLE "transfer_attempts" DROP CONSTRAINT "transfer_attempts_outcome_ck";--> statement-breakpoint
ALTER TABLE "startup_sync_errors" ADD CONSTRAINT "startup_sync_errors_installation_id_installations_id_fk" FOREIGN KEY ("installation_id") REFERENCES "public"."installations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "startup_sync_progress" ADD CONSTRAINT "startup_sync_progress_installation_id_installations_id_fk" FOREIGN KEY ("installation_id") REFERENCES "public"."installations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_one_startup_sync_uq" ON "transfers" USING btree ("installation_id") WHERE kind = 'startup_sync';--> statement-breakpoint
ALTER TABLE "transfer_attempts" ADD CONSTRAINT "transfer_attempts_outcome_ck" CHECK (outcome in ('succeeded', 'retry', 'failed', 'paused', 'continued'));