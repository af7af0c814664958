import { existsSync } from 'node:fs';
import { validate as isCronExpression } from 'node-cron';
import { z } from 'zod';

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));
const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );
const hostPort = /^[^\s:,]+:\d{1,5}$/;
const network = z.union([z.cidrv4(), z.cidrv6(), z.ipv4(), z.ipv6()]);
/** A comma-separated list of IPs and CIDRs, v4 and v6. */
const networks = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every((entry) => network.safeParse(entry).success), {
      message: 'must be a comma-separated list of IPv4/IPv6 addresses or CIDRs',
    });
/** An optional comma-separated list whose every entry matches `entry`; unset means "no list". */
const optionalList = (entry: RegExp, message: string) =>
  z
    .string()
    .optional()
    .transform((v) =>
      v
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((list) => list === undefined || (list.length > 0 && list.every((e) => entry.test(e))), {
      message,
    });

/**
 * Every variable any keywatch process reads, in one place. All are optional; the defaults make a
 * single machine with local Postgres, Redis and Kafka work out of the box.
 */
export const envSchema = z
  .object({
    DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/keywatch'),
    REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
    /** Key prefix for BullMQ and every other Redis key, so several installations can share a Redis. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, _ . : - only')
      .default('keywatch'),
    KAFKA_BROKERS: z
      .string()
      .default('127.0.0.1:9092')
      .transform((v) => v.split(',').map((b) => b.trim()))
      .refine((list) => list.length > 0 && list.every((b) => hostPort.test(b)), {
        message: 'must be a comma-separated list of host:port',
      }),
    KAFKA_GROUP_ID: z.string().min(1).default('keywatch-aggregator'),
    /**
     * How long a silent aggregator keeps its partitions before the group hands them to another.
     * Lower recovers faster from a crash; Kafka refuses values outside 6000-300000 by default.
     */
    KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).max(300_000).default(30_000),
    VERIFIER_PORT: port(8080),
    AGGREGATOR_PORT: port(8081),
    ALERTER_PORT: port(8082),
    ROTATION_PORT: port(8083),
    /** Comma-separated IPs or CIDRs whose X-Forwarded-For is believed. Default: loopback. */
    TRUSTED_PROXIES: networks('127.0.0.1/8,::1/128'),
    /** While Postgres cannot be reached, cached keys keep verifying this long (0: fail closed at once). */
    KEY_CACHE_OUTAGE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    /** Unknown keys one source (an IPv4 address, an IPv6 /64) may have looked up per minute; past it, 429. */
    UNKNOWN_KEYS_PER_SOURCE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(30),
    SLACK_BOT_TOKEN: optionalText,
    SLACK_API_URL: url(['http:', 'https:']).optional(),
    SLACK_CHANNEL: optionalText,
    SMTP_URL: url(['smtp:', 'smtps:']).optional(),
    /**
     * The verifier's address as users reach it (e.g. https://keywatch.example.com), for links in
     * alerts; its origin is the one dashboard changes must come from, and https makes the session cookie Secure.
     */
    PUBLIC_URL: url(['http:', 'https:']).optional(),
    /** Alerts an org may send one by one in a minute; the rest of that minute go out as one digest. */
    ALERT_STORM_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
    /** Comma-separated IPs or CIDRs that webhooks may reach although private or loopback. Default: none. */
    WEBHOOK_ALLOWED_NETWORKS: networks(''),
    ALERT_EMAIL_FROM: z.email().default('keywatch@localhost'),
    ALERT_EMAIL_TO: z.email().optional(),
    /** Slack channels tenants may route alerts to (`#name`s or ids). Default: any channel. */
    ALERT_SLACK_CHANNELS_ALLOWED: optionalList(
      /^(#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{6,})$/,
      'must be a comma-separated list of channel names (#security) or channel ids (C0123ABCD)',
    ),
    /** Mail domains tenants may route alerts to (`example.com`, `*.example.com`). Default: any. */
    ALERT_EMAIL_DOMAINS_ALLOWED: optionalList(
      /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i,
      'must be a comma-separated list of domains (example.com) or subdomain patterns (*.example.com)',
    ),
    ROTATION_CRON: z
      .string()
      .refine((v) => isCronExpression(v), 'must be a cron expression, e.g. "0 9 * * *"')
      .default('0 9 * * *'),
    /** Where the verifier keeps events Kafka could not take yet (default: .data/spool/verifier-<port>). */
    EVENT_SPOOL_DIR: optionalText,
    /** Events the verifier holds in memory before it spools to disk. */
    EVENT_BUFFER_MAX: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
    /** Bytes of events held in memory before spooling: large events reach this before the count. */
    EVENT_BUFFER_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024 * 1024)
      .default(64 * 1024 * 1024),
    /**
     * How long the verifier gathers events into one Kafka batch. Requests never wait on it; longer
     * means fewer, larger batches (less CPU per event) and events that reach Kafka later.
     */
    EVENT_LINGER_MS: z.coerce.number().int().min(0).max(1000).default(20),
    /** Bytes the spool may take on disk; events past it are dropped, counted and logged. */
    EVENT_SPOOL_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024 * 1024)
      .default(1024 * 1024 * 1024),
    /** Live keys (not revoked, expired or rotated out) an org may hold; the API refuses more with 409. */
    ORG_MAX_KEYS: z.coerce.number().int().positive().default(10_000),
    /** Silences in force an org may hold; the API refuses more with 409. */
    ORG_MAX_SILENCES: z.coerce.number().int().positive().default(100),
    /** Days resolved alerts and their deliveries (and reminder deliveries, expired silences) are kept. */
    ALERT_RETENTION_DAYS: z.coerce.number().int().positive().default(90),
    /** Days audit records are kept: a year covers a yearly access review. */
    AUDIT_RETENTION_DAYS: z.coerce.number().int().positive().default(365),
    /** Days key changes are kept; verifiers poll only the last seconds, the rest is for forensics. */
    KEY_CHANGE_RETENTION_DAYS: z.coerce.number().int().positive().default(7),
    /** Days rotation scan records are kept (the latest is always kept: it dates the next catch-up). */
    ROTATION_SCAN_RETENTION_DAYS: z.coerce.number().int().positive().default(90),
    ROTATION_MAX_AGE_DAYS: z.coerce.number().int().positive().default(90),
    /** Days between two reminders while a flagged key stays unrotated. */
    ROTATION_REMIND_EVERY_DAYS: z.coerce.number().int().positive().max(365).default(7),
    /** Days past the due date after which the org's security channel is told. */
    ROTATION_ESCALATE_AFTER_DAYS: z.coerce.number().int().positive().max(3650).default(30),
    GEOIP_DB: z
      .string()
      .refine((path) => existsSync(path), 'no such file')
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.SMTP_URL && !env.ALERT_EMAIL_TO) {
      ctx.addIssue({ code: 'custom', path: ['ALERT_EMAIL_TO'], message: 'is required when SMTP_URL is set' });
    }
    if (env.SLACK_BOT_TOKEN && !env.SLACK_CHANNEL) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_CHANNEL'],
        message: 'is required when SLACK_BOT_TOKEN is set',
      });
    }
  });

export type Config = z.infer<typeof envSchema>;

/** Reads the environment once; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(withoutEmpty(env));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
  throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
}

// An empty variable (FOO=) means "not set", as shells and compose files commonly produce it.
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
