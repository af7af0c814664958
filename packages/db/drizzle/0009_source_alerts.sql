DROP INDEX "alerts_once_per_window_idx";--> statement-breakpoint
ALTER TABLE "alerts" ALTER COLUMN "key_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ALTER COLUMN "org_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_once_per_window" UNIQUE NULLS NOT DISTINCT("key_id","rule","subject","period","window_start");