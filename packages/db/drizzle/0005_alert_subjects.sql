DROP INDEX "alerts_once_per_window_idx";--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "subject" text DEFAULT 'critical' NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "severity" text DEFAULT 'critical' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_once_per_window_idx" ON "alerts" USING btree ("key_id","rule","subject","period","window_start");