import { z } from 'zod';

/** How sensitive the unusualActivity signals are: `high` catches smaller deviations, and says more. */
export const SENSITIVITIES = ['low', 'medium', 'high'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

/** The windows alerts are counted in. */
export const PERIODS = ['hourly', 'daily'] as const;
const period = z.enum(PERIODS);
const threshold = z.number().int().positive();

const destinations = z.strictObject({
  slack: z.string().trim().min(1).max(80).optional(),
  email: z.array(z.email()).min(1).max(10).optional(),
  /** A URL that receives each notification as signed JSON (see the README). */
  webhook: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
});
/** Where notifications go: a Slack channel, email addresses, a webhook. */
export type AlertDestinations = z.infer<typeof destinations>;

/** A key's (or org's) alert settings, the seed's shape. Unknown fields are refused, not ignored. */
export const alertSettingsSchema = z
  .object({
    unusualActivity: z.union([
      z.boolean(),
      z.strictObject({
        enabled: z.boolean(),
        /** Days after a key's creation before its signals fire (default 7). */
        learningDays: z.number().int().min(0).max(365).optional(),
        /** How far from its own baseline a key must stray (default `medium`). */
        sensitivity: z.enum(SENSITIVITIES).optional(),
      }),
    ]),
    highUsage: z.strictObject({
      threshold,
      period,
      /** Share of the threshold at which a warning goes out first (default 0.8); `null`: no warning. */
      warnAt: z.number().gt(0).lt(1).nullable().optional(),
      /** Also send a message when the alert resolves (its window ends). */
      notifyResolved: z.boolean().optional(),
    }),
    /** Where this key's (or org's) alerts go, instead of the installation's defaults. */
    channels: destinations.extend({
      /** The org's security team: escalations of overdue rotations go here (org settings only). */
      security: destinations.optional(),
    }),
    failures: z.strictObject({
      threshold,
      period,
      /** Also fire when failures reach this share of the window's requests (0–1)… */
      rate: z.number().gt(0).max(1).optional(),
      /** …once the window has at least this many requests (default 20). */
      minRequests: z.number().int().positive().optional(),
      /** Also send a message when the alert resolves (window ended, or the rate back under). */
      notifyResolved: z.boolean().optional(),
    }),
  })
  .partial()
  .strict();

export type AlertSettings = z.infer<typeof alertSettingsSchema>;
export type Period = z.infer<typeof period>;

/** A key's settings override its org's field by field. */
export const effectiveSettings = (
  org: AlertSettings | null | undefined,
  key: AlertSettings | null | undefined,
): AlertSettings => ({ ...(org ?? {}), ...(key ?? {}) });
