ALTER TABLE "installations" ADD COLUMN "economic_country" text;--> statement-breakpoint
ALTER TABLE "pending_installs" ADD COLUMN "economic_country" text;