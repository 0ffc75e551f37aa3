ALTER TABLE "installations" ADD COLUMN "contact_email" text;--> statement-breakpoint
ALTER TABLE "installations" ADD COLUMN "contact_locale" text;--> statement-breakpoint
CREATE INDEX "transfers_while_paused_due_idx" ON "transfers" USING btree ("run_after","id") WHERE kind in ('alert_email') and status in ('pending', 'running');