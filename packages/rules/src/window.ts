import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import type { Period } from './settings.ts';
import { BUCKET_MS, DAY_MS, HOUR_MS } from './time.ts';
import type { CoarseGranularity, Granularity } from './usage.ts';

/** A UTC window an alert is counted in: [start, end). */
export interface UsageWindow {
  period: Period;
  start: Date;
  end: Date;
}

export function windowOf(period: Period, at: Date): UsageWindow {
  const size = period === 'hourly' ? HOUR_MS : DAY_MS;
  const start = Math.floor(at.getTime() / size) * size;
  return { period, start: new Date(start), end: new Date(start + size) };
}

/**
 * `windowOf(period, start).end` in SQL, over a row's period and window start (an alert's): for the
 * sweeps that find ended windows set-wise. sql-parity.test.ts holds it to windowOf.
 */
export const windowEndSql = (row: { period: AnyColumn; windowStart: AnyColumn }): SQL =>
  // 24 hours, not '1 day': a day interval follows the session's time zone across daylight saving.
  sql`${row.windowStart} + case ${row.period} when 'hourly' then interval '1 hour' else interval '24 hours' end`;

/** The storage granularity whose buckets line up with a window. */
export const granularityOf = (period: Period): CoarseGranularity => (period === 'hourly' ? 'hour' : 'day');

/** Start of the minute, hour or (UTC) day bucket containing a time. */
export function bucketStart(granularity: Granularity, at: Date): Date {
  const size = BUCKET_MS[granularity];
  return new Date(Math.floor(at.getTime() / size) * size);
}

/**
 * `bucketStart` in SQL, over a timestamptz: truncated in UTC whatever the session's time zone (in
 * one at +05:30, a plain date_trunc would start hours at :30). sql-parity.test.ts holds it to
 * bucketStart.
 */
export const bucketStartSql = (granularity: Granularity, at: AnyColumn | SQL): SQL =>
  sql`(date_trunc(${granularity}, ${at} at time zone 'UTC') at time zone 'UTC')`;
