-- A pending install's state is named (lib/installations/install-state.ts) instead of read off its columns.
ALTER TABLE "pending_installs" RENAME COLUMN "consumed_at" TO "ended_at";--> statement-breakpoint
ALTER TABLE "pending_installs" ADD COLUMN "state" text DEFAULT 'started' NOT NULL;--> statement-breakpoint
ALTER TABLE "pending_installs" ADD COLUMN "end_reason" text;--> statement-breakpoint
-- Rows live 30 minutes: an ended one's ending is not known, a live one is placed by the sides it holds.
UPDATE "pending_installs" SET "state" = CASE
  WHEN "ended_at" IS NOT NULL THEN 'abandoned'
  WHEN "economic_agreement_number" IS NOT NULL AND ("rackbeat_account_id" IS NOT NULL OR "origin" = 'signin') THEN 'both_sides_known'
  ELSE 'started' END;--> statement-breakpoint
UPDATE "pending_installs" SET "end_reason" = 'migrated' WHERE "ended_at" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "pending_installs" ADD CONSTRAINT "pending_installs_state_ck" CHECK (state in ('started', 'both_sides_known', 'confirming', 'confirmed', 'declined', 'expired', 'abandoned'));
