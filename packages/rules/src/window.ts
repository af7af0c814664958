import type { Period } from './settings.ts';
import { BUCKET_MS, DAY_MS, HOUR_MS } from './time.ts';

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

/** The storage granularity whose buckets line up with a window. */
export const granularityOf = (period: Period): 'hour' | 'day' => (period === 'hourly' ? 'hour' : 'day');

/** Start of the minute, hour or (UTC) day bucket containing a time. */
export function bucketStart(granularity: 'minute' | 'hour' | 'day', at: Date): Date {
  const size = BUCKET_MS[granularity];
  return new Date(Math.floor(at.getTime() / size) * size);
}
