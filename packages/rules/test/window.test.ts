import { describe, expect, it } from 'vitest';
import { bucketStart, granularityOf, windowOf } from '../src/index.ts';

const at = (iso: string) => new Date(iso);

describe('windowOf', () => {
  it.each([
    ['hourly', '2026-11-22T10:00:00.000Z', '2026-11-22T10:00:00.000Z', '2026-11-22T11:00:00.000Z'],
    ['hourly', '2026-11-22T10:59:59.999Z', '2026-11-22T10:00:00.000Z', '2026-11-22T11:00:00.000Z'],
    ['daily', '2026-11-22T00:00:00.000Z', '2026-11-22T00:00:00.000Z', '2026-11-23T00:00:00.000Z'],
    ['daily', '2026-11-22T23:59:59.999Z', '2026-11-22T00:00:00.000Z', '2026-11-23T00:00:00.000Z'],
    ['daily', '2024-02-29T12:00:00.000Z', '2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ['daily', '2026-12-31T23:00:00.000Z', '2026-12-31T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
  ] as const)('%s window of %s is [%s, %s)', (period, time, start, end) => {
    const w = windowOf(period, at(time));
    expect(w.start.toISOString()).toBe(start);
    expect(w.end.toISOString()).toBe(end);
    expect(w.period).toBe(period);
  });

  it('maps periods to bucket granularity', () => {
    expect(granularityOf('hourly')).toBe('hour');
    expect(granularityOf('daily')).toBe('day');
  });
});

describe('bucketStart', () => {
  it.each([
    ['minute', '2026-11-22T10:17:42.500Z', '2026-11-22T10:17:00.000Z'],
    ['hour', '2026-11-22T10:17:42.500Z', '2026-11-22T10:00:00.000Z'],
    ['day', '2026-11-22T10:17:42.500Z', '2026-11-22T00:00:00.000Z'],
    ['minute', '2026-11-22T10:17:00.000Z', '2026-11-22T10:17:00.000Z'],
    ['day', '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z'],
  ] as const)('%s bucket of %s starts %s', (granularity, time, start) => {
    expect(bucketStart(granularity, at(time)).toISOString()).toBe(start);
  });
});
