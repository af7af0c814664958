import type { silences } from '@keywatch/db';
import { DAY_MS, RULE_NAMES } from '@keywatch/rules';
import { z } from 'zod';
import { named } from '../../http/schema.ts';

const MAX_DAYS = 90;

export const newSilenceSchema = named(
  z
    .strictObject({
      keyId: z.uuid().optional().describe('Mute this key’s alerts'),
      rule: z.enum(RULE_NAMES).optional().describe('Mute this rule’s alerts'),
      until: z.iso
        .datetime({ offset: true })
        .transform((v) => new Date(v))
        .refine((d) => d.getTime() > Date.now(), 'must be in the future')
        .refine((d) => d.getTime() <= Date.now() + MAX_DAYS * DAY_MS, `at most ${MAX_DAYS} days ahead`)
        .describe(`When the silence ends (at most ${MAX_DAYS} days ahead)`),
      reason: z.string().trim().min(1).max(500),
    })
    .refine((s) => s.keyId || s.rule, { path: ['keyId'], message: 'keyId or rule (or both) is required' }),
  {
    id: 'NewSilence',
    description: 'What to mute (a key, a rule, or a rule of a key), until when, and why',
    examples: [
      { keyId: '7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f', until: '2026-11-30T09:00:00Z', reason: 'load test' },
    ],
  },
);

export const silenceSchema = z
  .object({
    id: z.uuid(),
    keyId: z.uuid().nullable(),
    rule: z.enum(RULE_NAMES).nullable(),
    until: z.iso.datetime(),
    reason: z.string(),
    createdBy: z.uuid().nullable().describe('The key that created it'),
    createdAt: z.iso.datetime(),
  })
  .meta({
    id: 'Silence',
    description: 'Matching alerts are still recorded, but not notified, until `until`',
    examples: [
      {
        id: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
        keyId: '7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f',
        rule: null,
        until: '2026-11-30T09:00:00.000Z',
        reason: 'load test',
        createdBy: '3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d',
        createdAt: '2026-11-29T16:00:00.000Z',
      },
    ],
  });

export const silenceView = (s: typeof silences.$inferSelect): z.output<typeof silenceSchema> => ({
  id: s.id,
  keyId: s.keyId,
  rule: s.rule,
  until: s.until.toISOString(),
  reason: s.reason,
  createdBy: s.createdBy,
  createdAt: s.createdAt.toISOString(),
});

export const SILENCE = { resource: 'Silence' } as const;
