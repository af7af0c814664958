import type { Period } from './settings.ts';

/** A UTC window an alert is counted in: [start, end). */
export interface UsageWindow {
  period: Period;
  start: Date;
  end: Date;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function windowOf(period: Period, at: Date): UsageWindow {
  const size = period === 'hourly' ? HOUR : DAY;
  const start = Math.floor(at.getTime() / size) * size;
  return { period, start: new Date(start), end: new Date(start + size) };
}

/** The storage granularity whose buckets line up with a window. */
export const granularityOf = (period: Period): 'hour' | 'day' => (period === 'hourly' ? 'hour' : 'day');

/** Start of the minute, hour or (UTC) day bucket containing a time. */
export function bucketStart(granularity: 'minute' | 'hour' | 'day', at: Date): Date {
  const size = granularity === 'minute' ? 60_000 : granularity === 'hour' ? HOUR : DAY;
  return new Date(Math.floor(at.getTime() / size) * size);
}
