CREATE TABLE "rackbeat_webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"installation_id" uuid NOT NULL,
	"event" text NOT NULL,
	"rackbeat_webhook_id" integer NOT NULL,
	"token" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "installations" ADD COLUMN "rackbeat_token_kind" text DEFAULT 'integration' NOT NULL;--> statement-breakpoint
ALTER TABLE "pending_installs" ADD COLUMN "installation_id" uuid;--> statement-breakpoint
ALTER TABLE "rackbeat_webhooks" ADD CONSTRAINT "rackbeat_webhooks_installation_id_installations_id_fk" FOREIGN KEY ("installation_id") REFERENCES "public"."installations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "rackbeat_webhooks_installation_event_uq" ON "rackbeat_webhooks" USING btree ("installation_id","event");--> statement-breakpoint
ALTER TABLE "pending_installs" ADD CONSTRAINT "pending_installs_installation_id_installations_id_fk" FOREIGN KEY ("installation_id") REFERENCES "public"."installations"("id") ON DELETE cascade ON UPDATE no action;