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
    TRUSTED_PROXIES: z
      .string()
      .default('127.0.0.1/8,::1/128')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .refine((list) => list.every((entry) => network.safeParse(entry).success), {
        message: 'must be a comma-separated list of IPv4/IPv6 addresses or CIDRs',
      }),
    SLACK_BOT_TOKEN: optionalText,
    SLACK_API_URL: url(['http:', 'https:']).optional(),
    SLACK_CHANNEL: optionalText,
    SMTP_URL: url(['smtp:', 'smtps:']).optional(),
    /** The verifier's address as users reach it (e.g. https://keywatch.example.com), for links in alerts. */
    PUBLIC_URL: url(['http:', 'https:']).optional(),
    /** Alerts an org may send one by one in a minute; the rest of that minute go out as one digest. */
    ALERT_STORM_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
    /** Signs webhook notifications (HMAC-SHA256); webhooks are sent only when it is set. */
    WEBHOOK_SIGNING_SECRET: z
      .string()
      .optional()
      .transform((v) => (v === '' ? undefined : v))
      .refine((v) => v === undefined || v.length >= 32, 'must be at least 32 characters'),
    ALERT_EMAIL_FROM: z.email().default('keywatch@localhost'),
    ALERT_EMAIL_TO: z.email().optional(),
    ROTATION_CRON: z
      .string()
      .refine((v) => isCronExpression(v), 'must be a cron expression, e.g. "0 9 * * *"')
      .default('0 9 * * *'),
    /** Where the verifier keeps events Kafka could not take yet (default: .data/spool/verifier-<port>). */
    EVENT_SPOOL_DIR: optionalText,
    /** Events the verifier holds in memory before it spools to disk. */
    EVENT_BUFFER_MAX: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
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
