CREATE TABLE "rotation_scans" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rotation_scans_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"ran_at" timestamp with time zone DEFAULT now() NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"flagged" integer NOT NULL,
	"reminded" integer NOT NULL,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "rotation_reminders" ADD COLUMN "kind" text DEFAULT 'rotation' NOT NULL;--> statement-breakpoint
ALTER TABLE "rotation_reminders" ADD COLUMN "reminded_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
UPDATE "rotation_reminders" SET "reminded_at" = "queued_at";--> statement-breakpoint
ALTER TABLE "rotation_reminders" DROP CONSTRAINT "rotation_reminders_key_id_due_at_sequence_pk";--> statement-breakpoint
ALTER TABLE "rotation_reminders" ADD CONSTRAINT "rotation_reminders_key_id_kind_due_at_sequence_pk" PRIMARY KEY("key_id","kind","due_at","sequence");--> statement-breakpoint
CREATE INDEX "rotation_scans_ran_at_idx" ON "rotation_scans" USING btree ("ran_at");--> statement-breakpoint
CREATE INDEX "api_keys_rotation_due_idx" ON "api_keys" USING btree ("rotation_due_at") WHERE rotation_due_at is not null and revoked_at is null and rotated_at is null;--> statement-breakpoint
CREATE INDEX "api_keys_expiry_idx" ON "api_keys" USING btree ("expires_at") WHERE expires_at is not null and revoked_at is null and rotated_at is null;