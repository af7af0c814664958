import {
  apiKeys,
  ensureOrg,
  rebuildOrgUsage,
  usageBuckets,
  usageCodeCounts,
  usageCountryCounts,
} from '@keywatch/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
let keyA: string;
let keyB: string;
beforeAll(async () => {
  v = await startVerifier('usage_200');
  keyA = (await v.makeKey({ name: 'a', scopes: ['chat'] })).key.id;
  keyB = (await v.makeKey({ name: 'b', scopes: ['chat'] })).key.id;
  // What the aggregator would have written for two keys over two hours, and one key of another org.
  const db = v.ctx.database.db;
  const hour = (h: number) => new Date(Date.UTC(2026, 10, 22, h));
  await db.insert(usageBuckets).values([
    { keyId: keyA, granularity: 'hour', bucketStart: hour(10), total: 10, success: 8, failure: 2 },
    { keyId: keyA, granularity: 'hour', bucketStart: hour(11), total: 5, success: 5, failure: 0 },
    { keyId: keyB, granularity: 'hour', bucketStart: hour(11), total: 4, success: 1, failure: 3 },
    { keyId: keyA, granularity: 'day', bucketStart: hour(0), total: 15, success: 13, failure: 2 },
  ]);
  await db.insert(usageCodeCounts).values([
    { keyId: keyA, granularity: 'hour', bucketStart: hour(10), code: 'VALID', count: 8 },
    { keyId: keyA, granularity: 'hour', bucketStart: hour(10), code: 'RATE_LIMITED', count: 2 },
    { keyId: keyA, granularity: 'hour', bucketStart: hour(11), code: 'VALID', count: 5 },
    { keyId: keyB, granularity: 'hour', bucketStart: hour(11), code: 'VALID', count: 1 },
    { keyId: keyB, granularity: 'hour', bucketStart: hour(11), code: 'EXPIRED', count: 3 },
  ]);
  await db.insert(usageCountryCounts).values([
    { keyId: keyA, granularity: 'hour', bucketStart: hour(10), country: 'GB', count: 10 },
    { keyId: keyA, granularity: 'hour', bucketStart: hour(11), country: 'US', count: 5 },
    { keyId: keyB, granularity: 'hour', bucketStart: hour(11), country: 'US', count: 4 },
  ]);
  await db
    .update(apiKeys)
    .set({ lastUsedAt: hour(11) })
    .where(eq(apiKeys.id, keyA));
  const other = await ensureOrg(db, 'usage-other-org');
  const foreign = (await v.makeKey({ scopes: ['chat'] }, other.id)).key.id;
  await db.insert(usageBuckets).values({
    keyId: foreign,
    granularity: 'hour',
    bucketStart: hour(11),
    total: 99,
    success: 99,
    failure: 0,
  });
  // And the orgs' rollups, which the aggregator keeps beside the keys' rows.
  for (const orgId of [v.org.id, other.id]) await rebuildOrgUsage(db, orgId);
});
afterAll(async () => v?.close());

const range = 'from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z&granularity=hour';
const get = (url: string, accept?: string) =>
  v.app.inject({ url, headers: { ...bearer(v.adminSecret), ...(accept ? { accept } : {}) } });

describe('200: usage reports', () => {
  it('GET /api/api-keys/:id/usage sums the range, rates failures as a fraction, sorts countries', async () => {
    const res = await get(`/api/api-keys/${keyA}/usage?${range}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      keyId: keyA,
      name: 'a',
      requestCount: 15,
      successCount: 13,
      failureCount: 2,
      failureRate: 2 / 15,
      lastUsedAt: '2026-11-22T11:00:00.000Z',
      byCode: { VALID: 13, RATE_LIMITED: 2 },
      countries: [
        { country: 'GB', count: 10 },
        { country: 'US', count: 5 },
      ],
      series: [
        { t: '2026-11-22T10:00:00.000Z', total: 10, success: 8, failure: 2 },
        { t: '2026-11-22T11:00:00.000Z', total: 5, success: 5, failure: 0 },
      ],
    });
  });

  it('GET /api/usage gives every key of the org and the totals, never another org', async () => {
    const res = await get(`/api/usage?${range}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.granularity).toBe('hour');
    expect(body.keys.map((k: { keyId: string }) => k.keyId)).toContain(keyA);
    const b = body.keys.find((k: { keyId: string }) => k.keyId === keyB);
    expect(b).toMatchObject({ requestCount: 4, failureCount: 3, failureRate: 0.75, lastUsedAt: null });
    expect(body.totals).toEqual({
      keyId: null,
      requestCount: 19,
      successCount: 14,
      failureCount: 5,
      failureRate: 5 / 19,
      lastUsedAt: '2026-11-22T11:00:00.000Z',
      byCode: { VALID: 14, RATE_LIMITED: 2, EXPIRED: 3 },
      countries: [
        { country: 'GB', count: 10 },
        { country: 'US', count: 9 },
      ],
      series: [
        { t: '2026-11-22T10:00:00.000Z', total: 10, success: 8, failure: 2 },
        { t: '2026-11-22T11:00:00.000Z', total: 9, success: 6, failure: 3 },
      ],
      activeKeys: 2,
    });
  });

  it('GET /api/usage?top=N gives the N most used keys, most first, and the same totals', async () => {
    const all = (await get(`/api/usage?${range}&detail=summary`)).json();
    const top = await get(`/api/usage?${range}&detail=summary&top=1`);
    expect(top.statusCode).toBe(200);
    expect(top.json().keys).toEqual([all.keys.find((k: { keyId: string }) => k.keyId === keyA)]);
    expect(top.json().totals).toEqual(all.totals);
    // Keys unused in the range are not among the most used, however many are asked for.
    const ids = (await get(`/api/usage?${range}&top=100`)).json().keys.map((k: { keyId: string }) => k.keyId);
    expect(ids).toEqual([keyA, keyB]);
    const totalsAlone = (await get(`/api/usage?${range}&top=0`)).json();
    expect(totalsAlone.keys).toEqual([]);
    expect(totalsAlone.totals).toMatchObject({ requestCount: 19, activeKeys: 2 });
  });

  it('Accept: text/csv gives the same series as CSV, one row per key and bucket', async () => {
    const res = await get(`/api/api-keys/${keyA}/usage?${range}`, 'text/csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="usage-${keyA}.csv"`);
    expect(res.body.split('\r\n')).toEqual([
      'key_id,bucket_start,total,success,failure,failure_rate',
      `${keyA},2026-11-22T10:00:00.000Z,10,8,2,0.2`,
      `${keyA},2026-11-22T11:00:00.000Z,5,5,0,0`,
      '',
    ]);

    const org = (await get(`/api/usage?${range}`, 'text/csv')).body.split('\r\n');
    expect(org).toContain(`${keyB},2026-11-22T11:00:00.000Z,4,1,3,0.75`);
    expect(org).toContain('total,2026-11-22T11:00:00.000Z,9,6,3,0.333333');
    expect(org.filter((line) => line.startsWith('total,'))).toHaveLength(2);
  });

  it('day granularity reads the day buckets', async () => {
    const res = await get(`/api/api-keys/${keyA}/usage?from=2026-11-22&to=2026-11-23&granularity=day`);
    expect(res.json().series).toEqual([
      { t: '2026-11-22T00:00:00.000Z', total: 15, success: 13, failure: 2 },
    ]);
  });
});
