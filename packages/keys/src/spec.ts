import { alertSettingsSchema } from '@keywatch/rules';
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

/** What creating a key takes, from the API or the CLI. */
export const newKeySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
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
