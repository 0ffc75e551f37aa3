ALTER TABLE "transfers" ADD COLUMN "marked_as_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "mark_as_sent_error" jsonb;