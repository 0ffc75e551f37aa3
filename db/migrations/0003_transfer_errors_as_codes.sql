ALTER TABLE "transfer_attempts" DROP COLUMN "message";--> statement-breakpoint
ALTER TABLE "transfers" DROP COLUMN "last_error";--> statement-breakpoint
ALTER TABLE "transfers" DROP COLUMN "last_error_hint";