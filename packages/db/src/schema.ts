import { KEY_TYPES, type RateLimitSetting, type Scope } from '@keywatch/keys';
import {
  ALERT_STATES,
  type AlertSettings,
  CHANNELS,
  DELIVERY_KINDS,
  DELIVERY_STATUSES,
  GRANULARITIES,
  PERIODS,
  REMINDER_KINDS,
  RULE_NAMES,
  SEVERITIES,
} from '@keywatch/rules';
import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const count = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);

export const orgs = pgTable('orgs', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  /** The org's default alert settings; a key's own settings override them field by field. */
  alerts: jsonb('alerts').$type<AlertSettings>(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    name: text('name').notNull(),
    type: text('type', { enum: KEY_TYPES }).notNull(),
    ownerEmail: text('owner_email'),
    /** SHA-256 of the secret; the secret itself is never stored. */
    hash: text('hash').notNull(),
    prefix: text('prefix').notNull(),
    scopes: text('scopes').array().$type<Scope[]>().notNull(),
    ipAllowlist: text('ip_allowlist').array(),
    rateLimit: jsonb('rate_limit').$type<RateLimitSetting>(),
    alerts: jsonb('alerts').$type<AlertSettings>(),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at'),
    revokedAt: ts('revoked_at'),
    lastUsedAt: ts('last_used_at'),
    lastUsedIp: text('last_used_ip'),
    lastUsedCountry: text('last_used_country'),
    rotationDueAt: ts('rotation_due_at'),
    /** Set on a key when it was rotated: its successor took over and it expires after the grace period. */
    rotatedAt: ts('rotated_at'),
    /** The key this one replaced by rotation. */
    rotatedFromId: uuid('rotated_from_id'),
  },
  (t) => [
    uniqueIndex('api_keys_hash_idx').on(t.hash),
    index('api_keys_org_idx').on(t.orgId),
    // The rotation scan reads only keys that are live and not yet flagged.
    index('api_keys_rotation_scan_idx')
      .on(t.createdAt)
      .where(sql`revoked_at is null and rotation_due_at is null`),
    // Its reminders read the flagged keys and the keys about to expire.
    index('api_keys_rotation_due_idx')
      .on(t.rotationDueAt)
      .where(sql`rotation_due_at is not null and revoked_at is null and rotated_at is null`),
    index('api_keys_expiry_idx')
      .on(t.expiresAt)
      .where(sql`expires_at is not null and revoked_at is null and rotated_at is null`),
  ],
);

/** Per key, per time bucket (by event time): request counts. */
export const usageBuckets = pgTable(
  'usage_buckets',
  {
    keyId: uuid('key_id').notNull(),
    granularity: text('granularity', { enum: GRANULARITIES }).notNull(),
    bucketStart: ts('bucket_start').notNull(),
    total: count('total'),
    success: count('success'),
    failure: count('failure'),
  },
  (t) => [
    primaryKey({ columns: [t.keyId, t.granularity, t.bucketStart] }),
    // Retention prunes by age without scanning the table.
    index('usage_buckets_age_idx').on(t.granularity, t.bucketStart),
  ],
);

/** Per key, per bucket: counts by verification code. */
export const usageCodeCounts = pgTable(
  'usage_code_counts',
  {
    keyId: uuid('key_id').notNull(),
    granularity: text('granularity', { enum: GRANULARITIES }).notNull(),
    bucketStart: ts('bucket_start').notNull(),
    code: text('code').notNull(),
    count: count('count'),
  },
  (t) => [
    primaryKey({ columns: [t.keyId, t.granularity, t.bucketStart, t.code] }),
    // Retention prunes by age without scanning the table.
    index('usage_code_counts_age_idx').on(t.granularity, t.bucketStart),
  ],
);

/** Per key, per bucket: counts by client country ("??" when unknown). */
export const usageCountryCounts = pgTable(
  'usage_country_counts',
  {
    keyId: uuid('key_id').notNull(),
    granularity: text('granularity', { enum: GRANULARITIES }).notNull(),
    bucketStart: ts('bucket_start').notNull(),
    country: text('country').notNull(),
    count: count('count'),
  },
  (t) => [
    primaryKey({ columns: [t.keyId, t.granularity, t.bucketStart, t.country] }),
    // Retention prunes by age without scanning the table.
    index('usage_country_counts_age_idx').on(t.granularity, t.bucketStart),
  ],
);

/**
 * The same counts per org, for views of a whole org (its overview over 90 days reads some 90
 * rows here, not 90 per key). Each aggregator partition adds to its own `shard` rows, so
 * partitions applying batches of one org's events at once never wait on each other's row locks;
 * a reader sums the shards.
 */
export const orgUsageBuckets = pgTable(
  'org_usage_buckets',
  {
    orgId: uuid('org_id').notNull(),
    granularity: text('granularity', { enum: GRANULARITIES }).notNull(),
    bucketStart: ts('bucket_start').notNull(),
    shard: integer('shard').notNull(),
    total: count('total'),
    success: count('success'),
    failure: count('failure'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.granularity, t.bucketStart, t.shard] }),
    index('org_usage_buckets_age_idx').on(t.granularity, t.bucketStart),
  ],
);

/** Per org, per bucket and shard: counts by verification code. */
export const orgUsageCodeCounts = pgTable(
  'org_usage_code_counts',
  {
    orgId: uuid('org_id').notNull(),
    granularity: text('granularity', { enum: GRANULARITIES }).notNull(),
    bucketStart: ts('bucket_start').notNull(),
    code: text('code').notNull(),
    shard: integer('shard').notNull(),
    count: count('count'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.granularity, t.bucketStart, t.code, t.shard] }),
    index('org_usage_code_counts_age_idx').on(t.granularity, t.bucketStart),
  ],
);

/** Per org, per bucket and shard: counts by client country. */
export const orgUsageCountryCounts = pgTable(
  'org_usage_country_counts',
  {
    orgId: uuid('org_id').notNull(),
    granularity: text('granularity', { enum: GRANULARITIES }).notNull(),
    bucketStart: ts('bucket_start').notNull(),
    country: text('country').notNull(),
    shard: integer('shard').notNull(),
    count: count('count'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.granularity, t.bucketStart, t.country, t.shard] }),
    index('org_usage_country_counts_age_idx').on(t.granularity, t.bucketStart),
  ],
);

/** Per key, each client country ever seen: when first and last, and how often. */
export const keyCountries = pgTable(
  'key_countries',
  {
    keyId: uuid('key_id').notNull(),
    country: text('country').notNull(),
    firstSeenAt: ts('first_seen_at').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
    count: count('count'),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.country] })],
);

/** Per key, per UTC hour, each client IP seen once: distinct IPs per hour is a count of rows. */
export const keyHourlyIps = pgTable(
  'key_hourly_ips',
  {
    keyId: uuid('key_id').notNull(),
    hourStart: ts('hour_start').notNull(),
    ip: text('ip').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.keyId, t.hourStart, t.ip] }),
    index('key_hourly_ips_hour_idx').on(t.hourStart),
  ],
);

/**
 * Unknown keys presented, per source IP per minute: the trace of credential stuffing. (Missing or
 * malformed headers are not credential attempts and are not counted here.)
 */
export const keylessFailures = pgTable(
  'keyless_failures',
  {
    ip: text('ip').notNull(),
    bucketStart: ts('bucket_start').notNull(),
    count: count('count'),
  },
  (t) => [
    primaryKey({ columns: [t.ip, t.bucketStart] }),
    index('keyless_failures_bucket_idx').on(t.bucketStart),
  ],
);

/**
 * The aggregator's Kafka positions, written in the same transaction as the counts they produced:
 * the next offset to apply per partition. This, not Kafka's committed offset, is the truth.
 */
export const consumerOffsets = pgTable(
  'consumer_offsets',
  {
    groupId: text('group_id').notNull(),
    topic: text('topic').notNull(),
    partition: integer('partition').notNull(),
    nextOffset: bigint('next_offset', { mode: 'bigint' }).notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.topic, t.partition] })],
);

export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Null for an alert about no one key, such as credential stuffing from an IP (no org either). */
    keyId: uuid('key_id'),
    orgId: uuid('org_id'),
    rule: text('rule', { enum: RULE_NAMES }).notNull(),
    /** What within the rule: `warning`/`critical` for a threshold, a signal such as `newCountry:BR`. */
    subject: text('subject').notNull().default('critical'),
    severity: text('severity', { enum: SEVERITIES }).notNull().default('critical'),
    state: text('state', { enum: ALERT_STATES }).notNull().default('firing'),
    period: text('period', { enum: PERIODS }).notNull(),
    windowStart: ts('window_start').notNull(),
    value: bigint('value', { mode: 'number' }).notNull(),
    threshold: bigint('threshold', { mode: 'number' }).notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts('created_at').notNull().defaultNow(),
    resolvedAt: ts('resolved_at'),
  },
  (t) => [
    // Once per (key, rule, subject, window), enforced here rather than in any process's memory. The
    // period is part of the window: a day and its first hour start at the same instant. Nulls not
    // distinct, so that alerts without a key are once per window too.
    unique('alerts_once_per_window')
      .on(t.keyId, t.rule, t.subject, t.period, t.windowStart)
      .nullsNotDistinct(),
    index('alerts_org_idx').on(t.orgId, t.createdAt),
  ],
);

export const deliveries = pgTable(
  'deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** What is being delivered: an alert, or a rotation reminder (then keyId is set). */
    alertId: uuid('alert_id'),
    keyId: uuid('key_id'),
    kind: text('kind', { enum: DELIVERY_KINDS }).notNull(),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    /** The destination when not the channel's default (a Slack channel, an address, a URL). */
    recipient: text('recipient'),
    /** Makes a retried job recognise the delivery it already made. */
    dedupeKey: text('dedupe_key').notNull(),
    /** `sending` is a claim: one worker at a time may send a delivery (see claimedAt). */
    /** `grouped`: past the org's storm bound, sent within that minute's digest instead. */
    /** `cancelled`: a reminder whose key was rotated or revoked before it went out. */
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    claimedAt: ts('claimed_at'),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    externalId: text('external_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
  },
  (t) => [uniqueIndex('deliveries_dedupe_idx').on(t.dedupeKey), index('deliveries_alert_idx').on(t.alertId)],
);

/** Who changed which key how: one row per management action, written with the change itself. */
/**
 * Mutes notifications of alerts that match (a key, a rule, or both) until a time. The alerts are
 * still recorded, and their deliveries marked `silenced`.
 */
export const silences = pgTable(
  'silences',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    keyId: uuid('key_id'),
    rule: text('rule', { enum: RULE_NAMES }),
    until: ts('until').notNull(),
    reason: text('reason').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('silences_org_until_idx').on(t.orgId, t.until)],
);

/**
 * An org's webhook signing secrets. The newest has no expiry; a rotation gives the previous ones
 * 24 h, during which webhooks carry one signature per secret. Kept in the clear: signing needs it.
 */
export const webhookSecrets = pgTable(
  'webhook_secrets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id),
    secret: text('secret').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at'),
  },
  (t) => [index('webhook_secrets_org_idx').on(t.orgId, t.createdAt)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    /** The key that authenticated the action (null for the CLI, which acts directly on Postgres). */
    actorKeyId: uuid('actor_key_id'),
    action: text('action', {
      enum: [
        'key.create',
        'key.update',
        'key.revoke',
        'key.rotate',
        'org.alert_settings.update',
        'org.webhook_secret.rotate',
      ],
    }).notNull(),
    /** The key acted on; null for an action on the org itself. */
    keyId: uuid('key_id'),
    before: jsonb('before').$type<Record<string, unknown>>(),
    after: jsonb('after').$type<Record<string, unknown>>(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('audit_log_org_idx').on(t.orgId, t.at), index('audit_log_key_idx').on(t.keyId, t.at)],
);

/**
 * The highest event sequence number applied per (verifier producer, partition). A producer's
 * events reach each partition in order, so anything at or below this was counted already: a replay.
 */
export const producerSequences = pgTable(
  'producer_sequences',
  {
    groupId: text('group_id').notNull(),
    producerId: text('producer_id').notNull(),
    partition: integer('partition').notNull(),
    maxSeq: bigint('max_seq', { mode: 'number' }).notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.producerId, t.partition] })],
);

/**
 * Keys whose counts changed and whose rules must be evaluated: written in the aggregator's batch
 * transaction, removed once the evaluation is queued, swept again if queueing failed.
 */
export const pendingEvaluations = pgTable('pending_evaluations', {
  keyId: uuid('key_id').primaryKey(),
  requestedAt: ts('requested_at').notNull().defaultNow(),
});

/**
 * One row per reminder queued (see rules' Reminder): a rotation reminder (n-th, from 0), the
 * escalation of an overdue key, or an expiry reminder (`sequence` = days left: 14, 7, 1).
 */
export const rotationReminders = pgTable(
  'rotation_reminders',
  {
    keyId: uuid('key_id').notNull(),
    kind: text('kind', { enum: REMINDER_KINDS }).notNull().default('rotation'),
    /** The date the reminder is about: the rotation due date, or the expiry. */
    dueAt: ts('due_at').notNull(),
    sequence: integer('sequence').notNull(),
    /** The scan time (`--as-of`) that sent it: the cadence counts from here. */
    remindedAt: ts('reminded_at').notNull().defaultNow(),
    queuedAt: ts('queued_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.kind, t.dueAt, t.sequence] })],
);

/** Each rotation scan that ran (not dry runs, not skipped ones): a missed one is caught up at start. */
export const rotationScans = pgTable(
  'rotation_scans',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** Wall-clock time the scan ran, whatever its `asOf`. */
    ranAt: ts('ran_at').notNull().defaultNow(),
    asOf: ts('as_of').notNull(),
    flagged: integer('flagged').notNull(),
    reminded: integer('reminded').notNull(),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('rotation_scans_ran_at_idx').on(t.ranAt)],
);

/**
 * Keys changed (revoked, patched, rotated), written in the change's own transaction. Every
 * verifier replica polls the recent rows and forgets those keys: the 1 s promise rests on
 * Postgres, which every lookup needs anyway, not on a message that could be lost after commit.
 */
export const keyChanges = pgTable(
  'key_changes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    hash: text('hash').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().default(sql`clock_timestamp()`),
  },
  (t) => [index('key_changes_at_idx').on(t.at)],
);
