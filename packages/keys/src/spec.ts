import { alertSettingsSchema, DAY_MS, DURATION_UNIT_MS, HOUR_MS } from '@keywatch/rules';
import { z } from 'zod';
import { KEY_TYPES, SCOPES } from './scopes.ts';

export const RATE_LIMIT_PERIODS = ['second', 'minute', 'hour'] as const;
export const rateLimitSchema = z.strictObject({
  limit: z.number().int().positive().max(1_000_000_000),
  period: z.enum(RATE_LIMIT_PERIODS),
});
export type RateLimitSetting = z.infer<typeof rateLimitSchema>;
export const DEFAULT_RATE_LIMIT: RateLimitSetting = { limit: 100, period: 'minute' };

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((v) => new Date(v));
const network = z.union([z.cidrv4(), z.cidrv6(), z.ipv4(), z.ipv6()], {
  error: 'must be an IPv4 or IPv6 address or CIDR',
});

/**
 * A name a tenant gives (a key's, an org's). It reaches Slack, email subjects and logs, where a
 * line break or other control character could forge a header or a line.
 */
export const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((v) => !/[\p{Cc}\u2028\u2029]/u.test(v), 'must not contain control characters or line breaks');

/** What creating a key takes, from the API or the CLI. */
export const newKeySchema = z
  .strictObject({
    name: nameSchema,
    scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
    expiresAt: instant.optional(),
    type: z.enum(KEY_TYPES).default('organization'),
    ownerEmail: z.email().optional(),
    ipAllowlist: z.array(network).max(1000).optional(),
    rateLimit: rateLimitSchema.optional(),
    alerts: alertSettingsSchema.optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.type === 'personal' && !spec.ownerEmail) {
      ctx.addIssue({ code: 'custom', path: ['ownerEmail'], message: 'is required for a personal key' });
    }
  });

export type NewKeySpec = z.output<typeof newKeySchema>;

/** "field: what is wrong", one per problem, for a 400 invalid_request. */
export const describeIssues = (error: z.ZodError): string[] =>
  error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`);

/** What `PATCH /api/api-keys/:id` may change; `null` clears an optional setting. */
export const keyPatchSchema = z
  .strictObject({
    name: nameSchema,
    scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
    ipAllowlist: z.array(network).max(1000).nullable(),
    rateLimit: rateLimitSchema.nullable(),
    alerts: alertSettingsSchema.nullable(),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, {
    message: 'nothing to change: give one of name, scopes, ipAllowlist, rateLimit, alerts',
  });
export type KeyPatch = z.output<typeof keyPatchSchema>;

const MAX_GRACE_MS = 30 * DAY_MS;

/** `{ "gracePeriod": "24h" }`: how long the old key keeps working after a rotation (`0s` ends it at once). */
export const rotateSchema = z.strictObject({
  gracePeriod: z
    .string()
    .regex(/^\d{1,6}[smhd]$/, 'must be a duration like 30m, 24h or 7d')
    .transform((v) => Number(v.slice(0, -1)) * DURATION_UNIT_MS[v.slice(-1) as keyof typeof DURATION_UNIT_MS])
    .refine((ms) => ms <= MAX_GRACE_MS, 'must be at most 30d')
    .default(24 * HOUR_MS),
});
