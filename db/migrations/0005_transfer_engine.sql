CREATE TABLE "economic_records" (
	"installation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"number" text NOT NULL,
	"hash" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "economic_records_installation_id_kind_number_pk" PRIMARY KEY("installation_id","kind","number"),
	CONSTRAINT "economic_records_kind_ck" CHECK (kind in ('customer', 'product', 'supplier'))
);
--> statement-breakpoint
CREATE TABLE "reconcile_checkpoints" (
	"installation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"checkpoint" text NOT NULL,
	"swept_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reconcile_checkpoints_installation_id_kind_pk" PRIMARY KEY("installation_id","kind")
);
--> statement-breakpoint
ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_action_ck";--> statement-breakpoint
ALTER TABLE "economic_records" ADD CONSTRAINT "economic_records_installation_id_installations_id_fk" FOREIGN KEY ("installation_id") REFERENCES "public"."installations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconcile_checkpoints" ADD CONSTRAINT "reconcile_checkpoints_installation_id_installations_id_fk" FOREIGN KEY ("installation_id") REFERENCES "public"."installations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_action_ck" CHECK (action in ('installation.installed', 'installation.reinstalled', 'installation.uninstalled', 'installation.economic_revoked', 'installation.economic_reconnected', 'settings.saved', 'settings.activated', 'transfer.manual_requested', 'transfer.retried'));