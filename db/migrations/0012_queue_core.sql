CREATE TABLE "inventory_postings" (
	"installation_id" uuid NOT NULL,
	"period" text NOT NULL,
	"frequency" text NOT NULL,
	"value_ore" bigint NOT NULL,
	"difference_ore" bigint NOT NULL,
	"economic_reference" text,
	"transfer_id" bigint,
	"posted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_postings_installation_id_period_pk" PRIMARY KEY("installation_id","period")
);
--> statement-breakpoint
ALTER TABLE "transfers" DROP CONSTRAINT "transfers_kind_ck";--> statement-breakpoint
DROP INDEX "transfers_due_idx";--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "attempts_total" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "rerun" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "inventory_postings" ADD CONSTRAINT "inventory_postings_installation_id_installations_id_fk" FOREIGN KEY ("installation_id") REFERENCES "public"."installations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_postings" ADD CONSTRAINT "inventory_postings_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
UPDATE "transfers" SET "attempts_total" = "attempts";--> statement-breakpoint
-- The inventory ledger, from the value each succeeded posting recorded in its row.
INSERT INTO "inventory_postings" ("installation_id", "period", "frequency", "value_ore", "difference_ore", "economic_reference", "transfer_id", "posted_at")
SELECT "installation_id", "source_id", coalesce("payload" ->> 'frequency', 'monthly'), ("payload" ->> 'valueOre')::bigint,
       coalesce(("payload" ->> 'differenceOre')::bigint, 0), "economic_reference", "id", coalesce("completed_at", "updated_at")
FROM "transfers"
WHERE "kind" = 'inventory_value' AND "status" = 'succeeded' AND "payload" ? 'valueOre'
ON CONFLICT DO NOTHING;--> statement-breakpoint
-- "Mark invoices as sent" becomes a follow-up transfer of its own: what the invoice rows recorded of it.
INSERT INTO "transfers" ("installation_id", "idempotency_key", "kind", "source_id", "status", "attempts", "attempts_total", "run_after", "completed_at", "error_code", "error_params", "settings_version")
SELECT "installation_id", 'mark_as_sent:' || "source_id", 'mark_as_sent', "source_id",
       CASE WHEN "marked_as_sent_at" IS NOT NULL THEN 'succeeded'
            WHEN "mark_as_sent_error" ->> 'code' = 'transfer.mark_as_sent_unavailable' THEN 'cancelled'
            WHEN coalesce(("mark_as_sent_error" ->> 'tries')::int, 0) >= 4 THEN 'failed'
            ELSE 'pending' END,
       coalesce(("mark_as_sent_error" ->> 'tries')::int, 1), coalesce(("mark_as_sent_error" ->> 'tries')::int, 1),
       now(), CASE WHEN "marked_as_sent_at" IS NOT NULL THEN "marked_as_sent_at" END,
       "mark_as_sent_error" ->> 'code', "mark_as_sent_error" -> 'params', "settings_version"
FROM "transfers"
WHERE "kind" = 'customer_invoice' AND ("marked_as_sent_at" IS NOT NULL OR "mark_as_sent_error" IS NOT NULL)
ON CONFLICT DO NOTHING;--> statement-breakpoint
ALTER TABLE "transfers" DROP COLUMN "marked_as_sent_at";--> statement-breakpoint
ALTER TABLE "transfers" DROP COLUMN "mark_as_sent_error";