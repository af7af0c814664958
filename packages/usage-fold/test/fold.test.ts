import type { AuthEvent, AuthEventInput } from '@keywatch/events';
import { sourceOf, UNKNOWN_COUNTRY, UNKNOWN_IP } from '@keywatch/rules';
import { authEventFixture } from '@keywatch/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldEvents } from '../src/fold.ts';

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
    expect(foldEvents([])).toEqual({
      buckets: [],
      codes: [],
      countries: [],
      orgBuckets: [],
      orgCodes: [],
      orgCountries: [],
      lastUse: [],
      countriesSeen: [],
      hourlyIps: [],
      keyless: [],
      counted: 0,
    });
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

  it('counts unknown keys per source IP per minute, apart from per-key counts, and not missing headers', () => {
    const keyless = (ip: string | null, ts: string) =>
      event({ keyId: null, code: 'INVALID_API_KEY', ip, ts });
    const delta = foldEvents([
      keyless('203.0.113.9', '2026-11-22T10:15:01.000Z'),
      keyless('203.0.113.9', '2026-11-22T10:15:59.999Z'),
      keyless('203.0.113.9', '2026-11-22T10:16:00.000Z'),
      keyless('203.0.113.10', '2026-11-22T10:15:30.000Z'),
      keyless(null, '2026-11-22T10:15:30.000Z'),
      event({ keyId: null, code: 'MISSING_AUTH_HEADER', ip: '203.0.113.9', ts: '2026-11-22T10:15:02.000Z' }),
    ]);
    expect(delta.counted).toBe(6);
    expect(delta.buckets).toEqual([]);
    expect(delta.lastUse).toEqual([]);
    expect(delta.keyless.map((k) => [k.ip, k.bucketStart.toISOString(), k.count])).toEqual([
      ['203.0.113.9', '2026-11-22T10:15:00.000Z', 2],
      ['203.0.113.9', '2026-11-22T10:16:00.000Z', 1],
      ['203.0.113.10', '2026-11-22T10:15:00.000Z', 1],
      [UNKNOWN_IP, '2026-11-22T10:15:00.000Z', 1],
    ]);
  });

  it('counts guesses turned away unlooked-up (RATE_LIMITED, no key) too, and IPv6 guesses by /64', () => {
    const guess = (ip: string, code: 'INVALID_API_KEY' | 'RATE_LIMITED') =>
      event({ keyId: null, code, ip, ts: '2026-11-22T10:15:01.000Z' });
    const delta = foldEvents([
      guess('203.0.113.9', 'INVALID_API_KEY'),
      guess('203.0.113.9', 'RATE_LIMITED'),
      guess('2001:db8:1:2::1', 'INVALID_API_KEY'),
      guess('2001:db8:1:2:ffff::2', 'RATE_LIMITED'),
      guess('2001:db8:1:3::1', 'INVALID_API_KEY'),
    ]);
    expect(delta.keyless.map((k) => [k.ip, k.count])).toEqual([
      ['203.0.113.9', 2],
      ['2001:db8:1:2::/64', 2],
      ['2001:db8:1:3::/64', 1],
    ]);
  });

  it('moves the last use only forward: of two uses at one instant the first folded stays, as in the database', () => {
    const delta = foldEvents([
      event({ ts: '2026-11-22T10:00:09.000Z', ip: '8.8.8.8', country: 'US' }),
      event({ ts: '2026-11-22T10:00:09.000Z', ip: '9.9.9.9', country: 'CH' }),
    ]);
    expect(delta.lastUse).toEqual([
      { keyId: 'k1', at: new Date('2026-11-22T10:00:09.000Z'), ip: '8.8.8.8', country: 'US' },
    ]);
  });

  it('keeps the last time a country was seen when an earlier event of it comes later in the batch', () => {
    const delta = foldEvents([
      event({ ts: '2026-11-22T11:30:00.000Z', country: 'GB' }),
      event({ ts: '2026-11-22T10:00:00.000Z', country: 'GB' }),
    ]);
    expect(delta.countriesSeen).toEqual([
      {
        keyId: 'k1',
        country: 'GB',
        firstSeenAt: new Date('2026-11-22T10:00:00.000Z'),
        lastSeenAt: new Date('2026-11-22T11:30:00.000Z'),
        count: 2,
      },
    ]);
  });

  it('adds the counts of a key without an org to no org', () => {
    const delta = foldEvents([event({ orgId: null }), event({ keyId: 'k2', orgId: 'o1' })]);
    expect(delta.buckets.filter((b) => b.granularity === 'day').map((b) => [b.keyId, b.total])).toEqual([
      ['k1', 1],
      ['k2', 1],
    ]);
    expect(delta.orgBuckets.map((b) => [b.orgId, b.granularity, b.total])).toEqual([
      ['o1', 'minute', 1],
      ['o1', 'hour', 1],
      ['o1', 'day', 1],
    ]);
  });

  it('records each country a key is used from, with its first and last time, late events included', () => {
    const delta = foldEvents([
      event({ ts: '2026-11-22T10:00:05.000Z', country: 'GB' }),
      event({ ts: '2026-11-22T09:00:00.000Z', country: 'GB' }),
      event({ ts: '2026-11-22T11:30:00.000Z', country: 'GB' }),
      event({ ts: '2026-11-22T10:00:00.000Z', country: 'BR' }),
      event({ ts: '2026-11-22T10:00:00.000Z', keyId: 'k2', country: 'BR' }),
    ]);
    const seen = (keyId: string, country: string) =>
      delta.countriesSeen.find((c) => c.keyId === keyId && c.country === country);
    expect(seen('k1', 'GB')).toEqual({
      keyId: 'k1',
      country: 'GB',
      firstSeenAt: new Date('2026-11-22T09:00:00.000Z'),
      lastSeenAt: new Date('2026-11-22T11:30:00.000Z'),
      count: 3,
    });
    expect(seen('k1', 'BR')?.count).toBe(1);
    expect(seen('k2', 'BR')?.count).toBe(1);
    expect(delta.countriesSeen).toHaveLength(3);
  });

  it('lists the distinct client IPs of each key per UTC hour', () => {
    const delta = foldEvents([
      event({ ts: '2026-11-22T10:00:00.000Z', ip: '192.0.2.1' }),
      event({ ts: '2026-11-22T10:59:59.999Z', ip: '192.0.2.1' }),
      event({ ts: '2026-11-22T10:30:00.000Z', ip: '192.0.2.2' }),
      event({ ts: '2026-11-22T11:00:00.000Z', ip: '192.0.2.1' }),
      event({ ts: '2026-11-22T10:30:00.000Z', ip: '192.0.2.1', keyId: 'k2' }),
    ]);
    const ips = delta.hourlyIps.map((h) => `${h.keyId} ${h.hourStart.toISOString()} ${h.ip}`).sort();
    expect(ips).toEqual([
      'k1 2026-11-22T10:00:00.000Z 192.0.2.1',
      'k1 2026-11-22T10:00:00.000Z 192.0.2.2',
      'k1 2026-11-22T11:00:00.000Z 192.0.2.1',
      'k2 2026-11-22T10:00:00.000Z 192.0.2.1',
    ]);
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

  // The fold rolls hours and days up from minutes, and keys up to orgs: check it against counting
  // each event directly.
  it('agrees with counting event by event, over generated streams', () => {
    const base = Date.UTC(2026, 10, 21, 22);
    const generated = fc.record({
      keyId: fc.constantFrom('k1', 'k2', 'k3', null),
      code: fc.constantFrom('VALID', 'RATE_LIMITED', 'EXPIRED', 'INSUFFICIENT_SCOPE'),
      country: fc.constantFrom('GB', 'US', null),
      ip: fc.constantFrom('192.0.2.1', '192.0.2.2', '198.51.100.7'),
      offsetMs: fc.integer({ min: 0, max: 4 * 3_600_000 }),
    });
    fc.assert(
      fc.property(fc.array(generated, { maxLength: 300 }), (drawn) => {
        // Keys k1 and k2 belong to one org, k3 to another.
        const events = drawn.map(({ offsetMs, ...over }) =>
          event({
            ...over,
            orgId: over.keyId === null ? null : over.keyId === 'k3' ? 'o2' : 'o1',
            ts: new Date(base + offsetMs).toISOString(),
          }),
        );
        expect(foldedCounts(foldEvents(events))).toEqual(countOneByOne(events));
        // The sizes a caller wants, alone: the same counts as the full fold holds for them.
        const onlyHours = foldEvents(events, { granularities: ['hour'], perOrg: false });
        const full = foldedCounts(foldEvents(events));
        const hourly = [...full].filter(([id]) => id.includes(' hour ') && !id.startsWith('org '));
        const keyless = [...full].filter(([id]) => id.startsWith('keyless '));
        expect(foldedCounts(onlyHours)).toEqual(new Map([...hourly, ...keyless]));
        const fullIps = foldEvents(events).hourlyIps;
        expect(
          new Set(onlyHours.hourlyIps.map((i) => `${i.keyId} ${i.hourStart.getTime()} ${i.ip}`)),
        ).toEqual(new Set(fullIps.map((i) => `${i.keyId} ${i.hourStart.getTime()} ${i.ip}`)));
        const days = foldEvents(events, { granularities: ['minute', 'day'] });
        expect(days.buckets.every((b) => b.granularity !== 'hour')).toBe(true);
        expect(days.buckets.filter((b) => b.granularity === 'day')).toEqual(
          foldEvents(events).buckets.filter((b) => b.granularity === 'day'),
        );
      }),
      { seed: 4242, numRuns: 200 },
    );
  });

  it('refuses to fold into no bucket at all', () => {
    expect(() => foldEvents([], { granularities: [] })).toThrow(/no granularity/);
  });
});

/** Every count a delta holds, by a readable name. */
function foldedCounts(delta: ReturnType<typeof foldEvents>): Map<string, number> {
  const actual = new Map<string, number>();
  const at = (d: { keyId: string; granularity: string; bucketStart: Date }) =>
    `${d.keyId} ${d.granularity} ${d.bucketStart.toISOString()}`;
  for (const b of delta.buckets) {
    actual.set(`${at(b)} total`, b.total);
    if (b.failure > 0) actual.set(`${at(b)} failure`, b.failure);
  }
  for (const c of delta.codes) actual.set(`${at(c)} code ${c.label}`, c.count);
  for (const c of delta.countries) actual.set(`${at(c)} country ${c.label}`, c.count);
  const ofOrg = (d: { orgId: string; granularity: string; bucketStart: Date }) =>
    at({ ...d, keyId: `org ${d.orgId}` });
  for (const b of delta.orgBuckets) {
    actual.set(`${ofOrg(b)} total`, b.total);
    if (b.failure > 0) actual.set(`${ofOrg(b)} failure`, b.failure);
  }
  for (const c of delta.orgCodes) actual.set(`${ofOrg(c)} code ${c.label}`, c.count);
  for (const c of delta.orgCountries) actual.set(`${ofOrg(c)} country ${c.label}`, c.count);
  for (const k of delta.keyless) actual.set(`keyless ${k.ip} ${k.bucketStart.toISOString()}`, k.count);
  return actual;
}

/** The same counts, made the slow and obvious way. */
function countOneByOne(events: AuthEvent[]): Map<string, number> {
  const expected = new Map<string, number>();
  const bump = (id: string) => expected.set(id, (expected.get(id) ?? 0) + 1);
  for (const e of events) {
    const ms = Date.parse(e.ts);
    if (!e.keyId) {
      if (e.code === 'INVALID_API_KEY' || e.code === 'RATE_LIMITED')
        bump(`keyless ${sourceOf(e.ip)} ${new Date(ms - (ms % 60_000)).toISOString()}`);
      continue;
    }
    for (const [granularity, size] of [
      ['minute', 60_000],
      ['hour', 3_600_000],
      ['day', 86_400_000],
    ] as const) {
      const start = new Date(ms - (ms % size)).toISOString();
      for (const owner of [e.keyId, `org ${e.orgId}`]) {
        bump(`${owner} ${granularity} ${start} total`);
        if (e.outcome === 'failure') bump(`${owner} ${granularity} ${start} failure`);
        bump(`${owner} ${granularity} ${start} code ${e.code}`);
        bump(`${owner} ${granularity} ${start} country ${e.country ?? UNKNOWN_COUNTRY}`);
      }
    }
  }
  return expected;
}
