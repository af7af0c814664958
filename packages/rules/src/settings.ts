import { z } from 'zod';

const period = z.enum(['hourly', 'daily']);
const threshold = z.number().int().positive();

/** A key's (or org's) alert settings, the seed's shape. Unknown fields are refused, not ignored. */
export const alertSettingsSchema = z
  .object({
    unusualActivity: z.union([
      z.boolean(),
      z.strictObject({ enabled: z.boolean(), learningDays: z.number().int().min(0).max(365).optional() }),
    ]),
    highUsage: z.strictObject({ threshold, period }),
    failures: z.strictObject({ threshold, period }),
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
