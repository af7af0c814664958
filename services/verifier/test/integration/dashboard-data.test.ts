import {
  apiKeys,
  ensureOrg,
  keyCountries,
  keyHourlyIps,
  rebuildOrgUsage,
  usageBuckets,
  usageCountryCounts,
} from '@keywatch/db';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

// What the dashboard reads besides the usage reports: summaries of many keys, countries with first
// and last seen, distinct IPs per hour. The rows are written as the aggregator would leave them.
let v: Verifier;
const DAY = 86_400_000;
const today = new Date(Math.floor(Date.now() / DAY) * DAY);
const daysAgo = (n: number) => new Date(today.getTime() - n * DAY);
let keys: string[];

beforeAll(async () => {
  v = await startVerifier('dashboard_data');
  const { db } = v.ctx.database;
  keys = [];
  for (let k = 0; k < 3; k++) keys.push((await v.makeKey({ name: `k${k}`, scopes: ['chat'] })).key.id);
  // Keys with a past: created a month ago, as their usage below says.
  await db
    .update(apiKeys)
    .set({ createdAt: daysAgo(30) })
    .where(inArray(apiKeys.id, keys));
  for (const [k, keyId] of keys.entries()) {
    for (let d = 1; d <= 5; d++) {
      await db.insert(usageBuckets).values({
        keyId,
        granularity: 'day',
        bucketStart: daysAgo(d),
        total: 10 * (k + 1) + d,
        success: 10 * (k + 1),
        failure: d,
      });
      await db.insert(usageCountryCounts).values([
        { keyId, granularity: 'day', bucketStart: daysAgo(d), country: 'DE', count: 10 * (k + 1) },
        { keyId, granularity: 'day', bucketStart: daysAgo(d), country: 'BR', count: d },
      ]);
    }
    await db.insert(keyCountries).values([
      { keyId, country: 'DE', firstSeenAt: daysAgo(20 - k), lastSeenAt: daysAgo(1), count: 50 },
      { keyId, country: 'BR', firstSeenAt: daysAgo(5), lastSeenAt: daysAgo(1 + k), count: 15 },
    ]);
  }
  await rebuildOrgUsage(db, v.org.id);
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000);
  await db
    .insert(keyHourlyIps)
    .values(['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((ip) => ({ keyId: keys[0]!, hourStart: hour, ip })));
  await db
    .insert(keyHourlyIps)
    .values({ keyId: keys[0]!, hourStart: new Date(hour.getTime() - 3_600_000), ip: '10.0.0.9' });
});
afterAll(async () => v?.close());

const get = async (url: string) => {
  const res = await v.app.inject({ url, headers: bearer(v.adminSecret) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const range = `from=${daysAgo(10).toISOString()}&to=${today.toISOString()}`;

describe('GET /api/usage?detail=summary', () => {
  it('gives each key the same counts and failure reasons as the full report, without series or countries; the same totals', async () => {
    const full = await get(`/api/usage?${range}`);
    const summary = await get(`/api/usage?${range}&detail=summary`);
    expect(summary.totals).toEqual(full.totals);
    expect(summary.totals.series).toHaveLength(5);
    expect(summary.keys).toHaveLength(full.keys.length);
    for (const [i, key] of summary.keys.entries()) {
      const { series, ...counts } = full.keys[i];
      expect(key).toEqual({ ...counts, series: [], countries: [] });
      if (keys.includes(key.keyId)) expect(series.length).toBeGreaterThan(0);
    }
    expect(summary.keys.find((k: { keyId: string }) => k.keyId === keys[2])).toMatchObject({
      requestCount: 5 * 30 + 15,
      successCount: 150,
      failureCount: 15,
    });
  });
});

describe('GET /api/countries', () => {
  it('counts within the range, as the usage report does, with first and last seen over all keys', async () => {
    const { countries } = await get(`/api/countries?${range}`);
    const report = await get(`/api/usage?${range}`);
    expect(countries.map((c: { country: string; count: number }) => [c.country, c.count])).toEqual(
      report.totals.countries.map((c: { country: string; count: number }) => [c.country, c.count]),
    );
    expect(countries[0]).toEqual({
      country: 'DE',
      count: 5 * (10 + 20 + 30),
      firstSeenAt: daysAgo(20).toISOString(),
      lastSeenAt: daysAgo(1).toISOString(),
    });
    expect(countries[1]).toMatchObject({
      country: 'BR',
      count: 3 * 15,
      lastSeenAt: daysAgo(1).toISOString(),
    });
  });

  it('for one key: its own counts and its own first and last seen', async () => {
    const { countries } = await get(`/api/countries?${range}&keyId=${keys[2]}`);
    expect(countries).toEqual([
      {
        country: 'DE',
        count: 150,
        firstSeenAt: daysAgo(18).toISOString(),
        lastSeenAt: daysAgo(1).toISOString(),
      },
      {
        country: 'BR',
        count: 15,
        firstSeenAt: daysAgo(5).toISOString(),
        lastSeenAt: daysAgo(3).toISOString(),
      },
    ]);
  });

  it('a key of another org is not found', async () => {
    const other = await v.makeKey(
      { scopes: ['chat'] },
      (await ensureOrg(v.ctx.database.db, 'other-countries')).id,
    );
    const res = await v.app.inject({
      url: `/api/countries?keyId=${other.key.id}`,
      headers: bearer(v.adminSecret),
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('GET /api/api-keys/:id/ips', () => {
  it('counts distinct client IPs per hour, by default over the days the aggregator keeps them', async () => {
    const { keyId, series } = await get(`/api/api-keys/${keys[0]}/ips`);
    expect(keyId).toBe(keys[0]);
    expect(series.map((p: { distinctIps: number }) => p.distinctIps)).toEqual([1, 3]);
    expect(new Date(series[1].t).getTime() % 3_600_000).toBe(0);
    expect((await get(`/api/api-keys/${keys[1]}/ips`)).series).toEqual([]);
  });
});
