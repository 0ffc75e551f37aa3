ALTER TABLE "installations" ADD COLUMN "contact_email" text;--> statement-breakpoint
ALTER TABLE "installations" ADD COLUMN "contact_locale" text;--> statement-breakpoint
CREATE INDEX "transfers_kind_due_idx" ON "transfers" USING btree ("kind","run_after","id") WHERE status in ('pending', 'running');