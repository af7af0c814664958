CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"actor_key_id" uuid,
	"action" text NOT NULL,
	"key_id" uuid NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "producer_sequences" (
	"group_id" text NOT NULL,
	"producer_id" text NOT NULL,
	"partition" integer NOT NULL,
	"max_seq" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "producer_sequences_group_id_producer_id_partition_pk" PRIMARY KEY("group_id","producer_id","partition")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rotated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rotated_from_id" uuid;--> statement-breakpoint
CREATE INDEX "audit_log_org_idx" ON "audit_log" USING btree ("org_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_key_idx" ON "audit_log" USING btree ("key_id","at");--> statement-breakpoint
DROP INDEX "api_keys_rotation_scan_idx";--> statement-breakpoint
CREATE INDEX "api_keys_rotation_scan_idx" ON "api_keys" USING btree ("created_at") WHERE revoked_at is null and rotation_due_at is null and rotated_at is null;
