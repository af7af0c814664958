import {
  alerts,
  ensureOrg,
  keyCountries,
  keyHourlyIps,
  usageBuckets,
  usageCountryCounts,
} from '@keywatch/db';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { DAY_MS, HOUR_MS, UNKNOWN_COUNTRY, UNUSUAL, windowOf } from '@keywatch/rules';
import { createTestContext, type TestContext } from '@keywatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKeyFacts } from '../../src/key-facts.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext('key-facts');
});
afterAll(async () => ctx?.close());

const now = new Date('2026-06-10T00:20:00Z'); // the two hours looked at straddle midnight
const currentHour = new Date('2026-06-10T00:00:00Z');
const previousHour = new Date('2026-06-09T23:00:00Z');

async function newKey(name: string, alertSettings: Record<string, unknown>) {
  const org = await ensureOrg(ctx.database.db, 'facts-org');
  const spec = newKeySchema.parse({ name, scopes: ['chat'], alerts: alertSettings });
  return (await issueKey(ctx.database.db, org.id, spec)).key;
}

const hourBucket = (keyId: string, start: Date, total: number) => ({
  keyId,
  granularity: 'hour' as const,
  bucketStart: start,
  total,
  success: total,
  failure: 0,
});

describe('loadKeyFacts', () => {
  it('reads each threshold window with its three busiest countries, zero for a window never used', async () => {
    const key = await newKey('thresholds', { highUsage: { threshold: 10, period: 'hourly' } });
    await ctx.database.db.insert(usageBuckets).values({ ...hourBucket(key.id, currentHour, 9), failure: 2 });
    await ctx.database.db.insert(usageCountryCounts).values(
      [
        ['DE', 1],
        ['US', 4],
        ['FR', 2],
        ['BR', 2],
      ].map(([country, count]) => ({
        keyId: key.id,
        granularity: 'hour' as const,
        bucketStart: currentHour,
        country: country as string,
        count: count as number,
      })),
    );
    const loaded = await loadKeyFacts(ctx.database.db, key.id, now);
    expect(loaded!.facts.counts).toEqual([
      { window: windowOf('hourly', previousHour), requests: 0, failures: 0, topCountries: [] },
      {
        window: windowOf('hourly', currentHour),
        requests: 9,
        failures: 2,
        topCountries: [
          { country: 'US', count: 4 },
          { country: 'BR', count: 2 },
          { country: 'FR', count: 2 },
        ],
      },
    ]);
    expect(loaded!.facts.unusual).toBeNull();
  });

  it("reads the unusual-activity hours: each hour's own week of history, countries, IPs and last use", async () => {
    const key = await newKey('unusual', { unusualActivity: true });
    const db = ctx.database.db;
    const weekBefore = (h: Date) => h.getTime() - UNUSUAL.historyHours * HOUR_MS;
    await db.insert(usageBuckets).values([
      // Just inside the current hour's week, just outside the previous hour's.
      hourBucket(key.id, new Date(weekBefore(currentHour)), 7),
      hourBucket(key.id, new Date(weekBefore(previousHour)), 5),
      hourBucket(key.id, new Date(previousHour.getTime() - 3 * HOUR_MS), 11),
      hourBucket(key.id, previousHour, 40),
      hourBucket(key.id, currentHour, 3),
    ]);
    await db.insert(usageCountryCounts).values(
      ['DE', 'US', UNKNOWN_COUNTRY].map((country) => ({
        keyId: key.id,
        granularity: 'hour' as const,
        bucketStart: currentHour,
        country,
        count: 1,
      })),
    );
    await db
      .insert(keyHourlyIps)
      .values(['10.0.0.1', '10.0.0.2'].map((ip) => ({ keyId: key.id, hourStart: previousHour, ip })));
    await db.insert(keyCountries).values([
      { keyId: key.id, country: 'DE', firstSeenAt: previousHour, lastSeenAt: currentHour, count: 2 },
      {
        keyId: key.id,
        country: UNKNOWN_COUNTRY,
        firstSeenAt: previousHour,
        lastSeenAt: currentHour,
        count: 1,
      },
    ]);
    const loaded = await loadKeyFacts(db, key.id, now);
    const [previous, current] = loaded!.facts.unusual!.hours;

    expect(previous).toMatchObject({ requests: 40, countries: [], distinctIps: 2 });
    expect(previous!.history[0]).toBe(5);
    expect(previous!.history[UNUSUAL.historyHours - 3]).toBe(11);
    expect(previous!.history.reduce((a, b) => a + b)).toBe(5 + 7 + 11);
    expect(previous!.lastUseBefore).toEqual(new Date(previousHour.getTime() - 2 * HOUR_MS));

    expect(current).toMatchObject({ requests: 3, distinctIps: 0 });
    expect([...current!.countries].sort()).toEqual(['DE', 'US']);
    expect(current!.history[0]).toBe(7);
    expect(current!.history.at(-1)).toBe(40);
    expect(current!.history.reduce((a, b) => a + b)).toBe(7 + 11 + 40);
    expect(current!.lastUseBefore).toEqual(currentHour);

    expect(loaded!.facts.unusual!.countriesSeen).toEqual([{ country: 'DE', firstSeenAt: previousHour }]);
  });

  it('finds the last use in older hour buckets, else in day buckets, per hour', async () => {
    const db = ctx.database.db;
    const fromHours = await newKey('idle-hours', { unusualActivity: true });
    const longAgo = new Date(previousHour.getTime() - 40 * DAY_MS);
    await db
      .insert(usageBuckets)
      .values([hourBucket(fromHours.id, longAgo, 1), hourBucket(fromHours.id, currentHour, 1)]);
    const [previous, current] = (await loadKeyFacts(db, fromHours.id, now))!.facts.unusual!.hours;
    expect(previous!.lastUseBefore).toEqual(new Date(longAgo.getTime() + HOUR_MS));
    expect(current!.lastUseBefore).toEqual(new Date(longAgo.getTime() + HOUR_MS));

    // Older than the hour buckets' retention: only day buckets remember it. The day before the
    // current hour's day counts for the current hour, not for the previous hour (in that day).
    const fromDays = await newKey('idle-days', { unusualActivity: true });
    const oldDay = new Date('2026-04-01T00:00:00Z');
    const yesterday = new Date('2026-06-09T00:00:00Z');
    await db.insert(usageBuckets).values(
      [oldDay, yesterday].map((bucketStart) => ({
        keyId: fromDays.id,
        granularity: 'day' as const,
        bucketStart,
        total: 1,
        success: 1,
        failure: 0,
      })),
    );
    const [before, after] = (await loadKeyFacts(db, fromDays.id, now))!.facts.unusual!.hours;
    expect(before!.lastUseBefore).toEqual(new Date(oldDay.getTime() + DAY_MS));
    expect(after!.lastUseBefore).toEqual(new Date(yesterday.getTime() + DAY_MS));
  });

  it("lists the key's firing alerts with their windows, and nothing for a revoked key", async () => {
    const key = await newKey('firing', { highUsage: { threshold: 10, period: 'daily' } });
    const db = ctx.database.db;
    const day = windowOf('daily', now);
    await db.insert(alerts).values([
      {
        keyId: key.id,
        orgId: key.orgId,
        rule: 'highUsage',
        subject: 'critical',
        severity: 'critical',
        period: 'daily',
        windowStart: day.start,
        value: 10,
        threshold: 10,
      },
      {
        keyId: key.id,
        orgId: key.orgId,
        rule: 'highUsage',
        subject: 'warning',
        severity: 'warning',
        period: 'daily',
        windowStart: day.start,
        value: 8,
        threshold: 8,
        state: 'resolved',
      },
    ]);
    const loaded = await loadKeyFacts(db, key.id, now);
    expect(loaded!.facts.firing).toEqual([
      { id: expect.any(String), rule: 'highUsage', subject: 'critical', window: day },
    ]);
    expect(loaded!.facts.keyCreatedAt).toEqual(key.createdAt);
  });
});
