CREATE TABLE "pending_evaluations" (
	"key_id" uuid PRIMARY KEY NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rotation_reminders" (
	"key_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"sequence" integer NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rotation_reminders_key_id_due_at_sequence_pk" PRIMARY KEY("key_id","due_at","sequence")
);
--> statement-breakpoint
DROP INDEX "alerts_once_per_window_idx";--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "claimed_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_once_per_window_idx" ON "alerts" USING btree ("key_id","rule","period","window_start");