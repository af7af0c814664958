import type { AuthEventInput } from '@keywatch/events';
import { authEventFixture } from '@keywatch/testkit';
import { describe, expect, it } from 'vitest';
import { foldEvents, UNKNOWN_COUNTRY } from '../../src/fold.ts';

const event = ({
  ts = '2026-11-22T10:15:30.000Z',
  ...over
}: Partial<AuthEventInput> & { ts?: string } = {}) =>
  authEventFixture({ at: new Date(ts), keyPrefix: 'sk_live_abcd', orgId: 'o1', ...over });

const bucket = (delta: ReturnType<typeof foldEvents>, keyId: string, granularity: string, start: string) =>
  delta.buckets.find(
    (b) => b.keyId === keyId && b.granularity === granularity && b.bucketStart.toISOString() === start,
  );

describe('foldEvents', () => {
  it('is empty for no events', () => {
    expect(foldEvents([])).toEqual({ buckets: [], codes: [], countries: [], lastUse: [], counted: 0 });
  });

  it('counts one event into a minute, an hour and a day bucket', () => {
    const delta = foldEvents([event()]);
    expect(delta.buckets).toHaveLength(3);
    expect(bucket(delta, 'k1', 'minute', '2026-11-22T10:15:00.000Z')).toMatchObject({
      total: 1,
      success: 1,
      failure: 0,
    });
    expect(bucket(delta, 'k1', 'hour', '2026-11-22T10:00:00.000Z')).toMatchObject({ total: 1 });
    expect(bucket(delta, 'k1', 'day', '2026-11-22T00:00:00.000Z')).toMatchObject({ total: 1 });
  });

  it('splits success and failure and counts by code', () => {
    const delta = foldEvents([
      event(),
      event({ code: 'INSUFFICIENT_SCOPE' }),
      event({ code: 'INSUFFICIENT_SCOPE' }),
      event({ code: 'EXPIRED' }),
    ]);
    expect(bucket(delta, 'k1', 'day', '2026-11-22T00:00:00.000Z')).toMatchObject({
      total: 4,
      success: 1,
      failure: 3,
    });
    const dayCodes = delta.codes.filter((c) => c.granularity === 'day');
    expect(Object.fromEntries(dayCodes.map((c) => [c.label, c.count]))).toEqual({
      VALID: 1,
      INSUFFICIENT_SCOPE: 2,
      EXPIRED: 1,
    });
  });

  it('buckets late events by their own time, not by arrival', () => {
    const delta = foldEvents([
      event({ ts: '2026-11-22T10:00:00.000Z' }),
      event({ ts: '2026-11-21T23:59:59.999Z' }),
    ]);
    expect(bucket(delta, 'k1', 'day', '2026-11-22T00:00:00.000Z')).toMatchObject({ total: 1 });
    expect(bucket(delta, 'k1', 'day', '2026-11-21T00:00:00.000Z')).toMatchObject({ total: 1 });
    expect(bucket(delta, 'k1', 'hour', '2026-11-21T23:00:00.000Z')).toMatchObject({ total: 1 });
  });

  it('keeps keys apart', () => {
    const delta = foldEvents([event(), event({ keyId: 'k2' }), event({ keyId: 'k2' })]);
    expect(bucket(delta, 'k1', 'hour', '2026-11-22T10:00:00.000Z')?.total).toBe(1);
    expect(bucket(delta, 'k2', 'hour', '2026-11-22T10:00:00.000Z')?.total).toBe(2);
    expect(delta.counted).toBe(3);
  });

  it('counts countries, unknown as ??', () => {
    const delta = foldEvents([
      event(),
      event({ country: 'NL' }),
      event({ country: null }),
      event({ country: 'NL' }),
    ]);
    const day = delta.countries.filter((c) => c.granularity === 'day');
    expect(Object.fromEntries(day.map((c) => [c.label, c.count]))).toEqual({
      GB: 1,
      NL: 2,
      [UNKNOWN_COUNTRY]: 1,
    });
  });

  it('takes the latest event as last use, whatever the order', () => {
    const delta = foldEvents([
      event({ ts: '2026-11-22T10:00:05.000Z', ip: '1.1.1.1', country: 'AU' }),
      event({ ts: '2026-11-22T10:00:09.000Z', ip: '8.8.8.8', country: 'US' }),
      event({ ts: '2026-11-22T10:00:01.000Z', ip: '9.9.9.9', country: 'CH' }),
    ]);
    expect(delta.lastUse).toEqual([
      { keyId: 'k1', at: new Date('2026-11-22T10:00:09.000Z'), ip: '8.8.8.8', country: 'US' },
    ]);
  });

  it('leaves keyless events (unknown keys) out of per-key counts', () => {
    const delta = foldEvents([event({ keyId: null, code: 'INVALID_API_KEY' })]);
    expect(delta.counted).toBe(0);
    expect(delta.buckets).toEqual([]);
  });

  it('sums exactly over many events', () => {
    const events = Array.from({ length: 1000 }, (_, i) =>
      event({
        keyId: `k${i % 7}`,
        code: i % 3 === 0 ? 'RATE_LIMITED' : 'VALID',
        ts: new Date(Date.UTC(2026, 10, 22, i % 24)).toISOString(),
      }),
    );
    const delta = foldEvents(events);
    const days = delta.buckets.filter((b) => b.granularity === 'day');
    expect(days.reduce((n, b) => n + b.total, 0)).toBe(1000);
    expect(days.reduce((n, b) => n + b.failure, 0)).toBe(334);
    expect(delta.buckets.filter((b) => b.granularity === 'hour').reduce((n, b) => n + b.total, 0)).toBe(1000);
  });
});
