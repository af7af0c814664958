import { alerts, ensureOrg, keyHourlyIps, usageBuckets, usageCountryCounts } from '@keywatch/db';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { BASELINE_DAYS, DAY_MS, HOUR_MS, UNKNOWN_COUNTRY, windowOf } from '@keywatch/rules';
import { createTestContext, type TestContext } from '@keywatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaselineCache, loadKeyFacts } from '../../src/key-facts.ts';

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

  it('reads what each unusual-activity hour saw, and learns its baseline from the stored weeks', async () => {
    const key = await newKey('unusual', { unusualActivity: true });
    const db = ctx.database.db;
    const fourWeeksBefore = previousHour.getTime() - BASELINE_DAYS * DAY_MS;
    await db.insert(usageBuckets).values([
      hourBucket(key.id, new Date(fourWeeksBefore - HOUR_MS), 500), // before the history: only its end counts
      hourBucket(key.id, new Date(fourWeeksBefore), 7),
      hourBucket(key.id, new Date(previousHour.getTime() - DAY_MS), 90), // this hour of the day, yesterday
      hourBucket(key.id, previousHour, 40),
      hourBucket(key.id, currentHour, 3),
    ]);
    const countries = (bucketStart: Date, names: string[]) =>
      names.map((country) => ({
        keyId: key.id,
        granularity: 'hour' as const,
        bucketStart,
        country,
        count: 1,
      }));
    await db
      .insert(usageCountryCounts)
      .values([
        ...countries(new Date(fourWeeksBefore), ['NL']),
        ...countries(previousHour, ['DE', UNKNOWN_COUNTRY]),
        ...countries(currentHour, ['DE', 'US', UNKNOWN_COUNTRY]),
      ]);
    await db
      .insert(keyHourlyIps)
      .values(['10.0.0.1', '10.0.0.2'].map((ip) => ({ keyId: key.id, hourStart: previousHour, ip })));
    const loaded = await loadKeyFacts(db, key.id, now);
    const [previous, current] = loaded!.facts.unusual!;

    expect(previous!.window).toEqual(windowOf('hourly', previousHour));
    expect(previous!.seen).toEqual({ requests: 40, distinctIps: 2, countries: ['DE'] });
    // One sample at this hour of the day (yesterday's 90): the second most is none, so half the
    // average busy hour of the four weeks sets the bar.
    expect(previous!.baseline).toMatchObject({
      usualRequests: (7 + 90) / 2 / 2,
      usualIps: 0,
      countries: ['NL'],
      lastUsedBefore: new Date(previousHour.getTime() - DAY_MS + HOUR_MS),
    });
    expect(current!.seen).toEqual({ requests: 3, distinctIps: 0, countries: ['DE', 'US'] });
    // An hour later: NL's hour is forgotten, and 40 joins the busy hours.
    expect(current!.baseline).toMatchObject({
      usualRequests: (90 + 40) / 2 / 2,
      usualIps: 0,
      countries: ['DE'],
      lastUsedBefore: currentHour,
    });
  });

  it('learns a baseline once an hour with a cache, and still reads what the hour saw each time', async () => {
    const key = await newKey('cached', { unusualActivity: true });
    const db = ctx.database.db;
    await db.insert(usageBuckets).values([hourBucket(key.id, new Date(previousHour.getTime() - DAY_MS), 30)]);
    const baselines = new BaselineCache();
    const first = (await loadKeyFacts(db, key.id, now, baselines))!.facts.unusual!;
    const learned = first[1]!.baseline; // learned when first asked for
    expect(baselines.get(key.id, currentHour.getTime())).toBe(learned);
    await db.insert(usageBuckets).values(hourBucket(key.id, currentHour, 12));
    const second = (await loadKeyFacts(db, key.id, now, baselines))!.facts.unusual!;
    expect(second[1]!.seen.requests).toBe(12);
    expect(second.map((h) => h.baseline)).toEqual(first.map((h) => h.baseline));
  });

  it('finds the last use before the history in hour buckets, else in day buckets', async () => {
    const db = ctx.database.db;
    const fromHours = await newKey('idle-hours', { unusualActivity: true });
    const longAgo = new Date(previousHour.getTime() - 40 * DAY_MS);
    await db
      .insert(usageBuckets)
      .values([hourBucket(fromHours.id, longAgo, 1), hourBucket(fromHours.id, currentHour, 1)]);
    const [previous, current] = (await loadKeyFacts(db, fromHours.id, now))!.facts.unusual!;
    expect(previous!.baseline.lastUsedBefore).toEqual(new Date(longAgo.getTime() + HOUR_MS));
    expect(current!.baseline.lastUsedBefore).toEqual(new Date(longAgo.getTime() + HOUR_MS));

    // Older than the hour buckets' retention: only day buckets remember it.
    const fromDays = await newKey('idle-days', { unusualActivity: true });
    const oldDay = new Date('2026-04-01T00:00:00Z');
    await db.insert(usageBuckets).values({
      keyId: fromDays.id,
      granularity: 'day' as const,
      bucketStart: oldDay,
      total: 1,
      success: 1,
      failure: 0,
    });
    const [before] = (await loadKeyFacts(db, fromDays.id, now))!.facts.unusual!;
    expect(before!.baseline.lastUsedBefore).toEqual(new Date(oldDay.getTime() + DAY_MS));
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
