CREATE TABLE "org_usage_buckets" (
	"org_id" uuid NOT NULL,
	"granularity" text NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"shard" integer NOT NULL,
	"total" bigint DEFAULT 0 NOT NULL,
	"success" bigint DEFAULT 0 NOT NULL,
	"failure" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "org_usage_buckets_org_id_granularity_bucket_start_shard_pk" PRIMARY KEY("org_id","granularity","bucket_start","shard")
);
--> statement-breakpoint
CREATE TABLE "org_usage_code_counts" (
	"org_id" uuid NOT NULL,
	"granularity" text NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"code" text NOT NULL,
	"shard" integer NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "org_usage_code_counts_org_id_granularity_bucket_start_code_shard_pk" PRIMARY KEY("org_id","granularity","bucket_start","code","shard")
);
--> statement-breakpoint
CREATE TABLE "org_usage_country_counts" (
	"org_id" uuid NOT NULL,
	"granularity" text NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"country" text NOT NULL,
	"shard" integer NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "org_usage_country_counts_org_id_granularity_bucket_start_country_shard_pk" PRIMARY KEY("org_id","granularity","bucket_start","country","shard")
);
--> statement-breakpoint
CREATE INDEX "org_usage_buckets_age_idx" ON "org_usage_buckets" USING btree ("granularity","bucket_start");--> statement-breakpoint
CREATE INDEX "org_usage_code_counts_age_idx" ON "org_usage_code_counts" USING btree ("granularity","bucket_start");--> statement-breakpoint
CREATE INDEX "org_usage_country_counts_age_idx" ON "org_usage_country_counts" USING btree ("granularity","bucket_start");--> statement-breakpoint
-- What was counted before these tables existed, summed per org into shard 0.
INSERT INTO "org_usage_buckets" ("org_id", "granularity", "bucket_start", "shard", "total", "success", "failure")
SELECT k."org_id", u."granularity", u."bucket_start", 0, sum(u."total"), sum(u."success"), sum(u."failure")
FROM "usage_buckets" u JOIN "api_keys" k ON k."id" = u."key_id"
GROUP BY k."org_id", u."granularity", u."bucket_start";--> statement-breakpoint
INSERT INTO "org_usage_code_counts" ("org_id", "granularity", "bucket_start", "code", "shard", "count")
SELECT k."org_id", u."granularity", u."bucket_start", u."code", 0, sum(u."count")
FROM "usage_code_counts" u JOIN "api_keys" k ON k."id" = u."key_id"
GROUP BY k."org_id", u."granularity", u."bucket_start", u."code";--> statement-breakpoint
INSERT INTO "org_usage_country_counts" ("org_id", "granularity", "bucket_start", "country", "shard", "count")
SELECT k."org_id", u."granularity", u."bucket_start", u."country", 0, sum(u."count")
FROM "usage_country_counts" u JOIN "api_keys" k ON k."id" = u."key_id"
GROUP BY k."org_id", u."granularity", u."bucket_start", u."country";
