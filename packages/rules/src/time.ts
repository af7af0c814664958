import type { Granularity } from './usage.ts';

/** Time units in milliseconds, and the sizes of the usage buckets, in one place. */
export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The size of each usage bucket (all in UTC: a day bucket starts at 00:00Z). */
export const BUCKET_MS: Record<Granularity, number> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };

/** The unit letters of a duration written like `30s`, `90m`, `24h` or `7d`, in milliseconds. */
export const DURATION_UNIT_MS = { s: SECOND_MS, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS } as const;
