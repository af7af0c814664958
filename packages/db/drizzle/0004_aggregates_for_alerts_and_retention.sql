CREATE TABLE "key_countries" (
	"key_id" uuid NOT NULL,
	"country" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "key_countries_key_id_country_pk" PRIMARY KEY("key_id","country")
);
--> statement-breakpoint
CREATE TABLE "key_hourly_ips" (
	"key_id" uuid NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"ip" text NOT NULL,
	CONSTRAINT "key_hourly_ips_key_id_hour_start_ip_pk" PRIMARY KEY("key_id","hour_start","ip")
);
--> statement-breakpoint
CREATE TABLE "keyless_failures" (
	"ip" text NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "keyless_failures_ip_bucket_start_pk" PRIMARY KEY("ip","bucket_start")
);
--> statement-breakpoint
CREATE INDEX "key_hourly_ips_hour_idx" ON "key_hourly_ips" USING btree ("hour_start");--> statement-breakpoint
CREATE INDEX "keyless_failures_bucket_idx" ON "keyless_failures" USING btree ("bucket_start");--> statement-breakpoint
CREATE INDEX "usage_buckets_age_idx" ON "usage_buckets" USING btree ("granularity","bucket_start");--> statement-breakpoint
CREATE INDEX "usage_code_counts_age_idx" ON "usage_code_counts" USING btree ("granularity","bucket_start");--> statement-breakpoint
CREATE INDEX "usage_country_counts_age_idx" ON "usage_country_counts" USING btree ("granularity","bucket_start");