import {
  KEY_TYPES,
  keyPatchSchema,
  newKeySchema,
  RATE_LIMIT_PERIODS,
  rotateSchema,
  SCOPES,
} from '@keywatch/keys';
import { alertSettingsSchema } from '@keywatch/rules';
import { z } from 'zod';
import { named } from '../../http/schema.ts';

const KEY_EXAMPLE = {
  id: '7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f',
  orgId: '0b8f4d2c-6a1e-4f3b-9c7d-2e5a8b1c4d6f',
  name: 'billing-service',
  type: 'organization',
  ownerEmail: null,
  prefix: 'sk_live_Ab3x',
  scopes: ['agents:read', 'data:read'],
  ipAllowlist: null,
  rateLimit: { limit: 100, period: 'minute' },
  alerts: null,
  createdAt: '2026-11-01T09:00:00.000Z',
  expiresAt: null,
  revokedAt: null,
  lastUsedAt: '2026-11-29T15:42:10.118Z',
  lastUsedCountry: 'DE',
  rotationDueAt: null,
  rotatedAt: null,
  rotatedFromId: null,
};

/** A key as the API shows it: never its secret or hash. */
export const apiKeySchema = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    name: z.string(),
    type: z.enum(KEY_TYPES),
    ownerEmail: z.string().nullable().describe('The owner of a personal key'),
    prefix: z.string().describe('The first characters of the secret, to recognise it'),
    scopes: z.array(z.enum(SCOPES)),
    ipAllowlist: z.array(z.string()).nullable().describe('CIDRs the key may be used from; null: anywhere'),
    rateLimit: z
      .object({ limit: z.number().int(), period: z.enum(RATE_LIMIT_PERIODS) })
      .nullable()
      .describe('null: the default, 100 per minute'),
    alerts: alertSettingsSchema.nullable().describe('The key’s alert settings; null: the org’s'),
    createdAt: z.date(),
    expiresAt: z.date().nullable(),
    revokedAt: z.date().nullable(),
    lastUsedAt: z.date().nullable(),
    lastUsedCountry: z.string().nullable().describe('ISO 3166 country of the last use, when known'),
    rotationDueAt: z.date().nullable().describe('When the rotation scan flagged the key as due'),
    rotatedAt: z.date().nullable().describe('When the key was rotated; it expires after its grace period'),
    rotatedFromId: z.uuid().nullable().describe('The key this one replaced by rotation'),
  })
  .meta({ id: 'ApiKey', description: 'An API key, without its secret', examples: [KEY_EXAMPLE] });

/** A key just issued: the only answer that carries its secret. */
export const issuedKeySchema = apiKeySchema
  .extend({ key: z.string().describe('The secret: shown in this answer only, store it now') })
  .meta({
    id: 'IssuedApiKey',
    description: 'A new key with its secret, which no later answer shows',
    examples: [{ ...KEY_EXAMPLE, key: 'sk_live_Ab3xQ9…' }],
  });

export const newApiKeySchema = named(newKeySchema, {
  id: 'NewApiKey',
  description: 'What a new key is given; `personal` keys need `ownerEmail`',
  examples: [
    {
      name: 'billing-service',
      scopes: ['agents:read', 'data:read'],
      expiresAt: '2027-06-01',
      ipAllowlist: ['203.0.113.0/24'],
      rateLimit: { limit: 600, period: 'minute' },
      alerts: { failures: { threshold: 50, period: 'hourly' } },
    },
  ],
});

export const apiKeyPatchSchema = keyPatchSchema.meta({
  id: 'ApiKeyPatch',
  description: 'The settings to change; `null` clears an optional one',
  examples: [{ scopes: ['agents:read'], rateLimit: null }],
});

export const rotationSchema = named(rotateSchema, {
  id: 'Rotation',
  description: 'How long the old key keeps working (default 24h, at most 30d; `0s` ends it at once)',
  examples: [{ gracePeriod: '24h' }],
});

/** The routes whose `:id` names a key: one that names none answers `404 API key not found`. */
export const KEY = { resource: 'API key' } as const;
