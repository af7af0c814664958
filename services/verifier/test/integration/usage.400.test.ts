import { apiKeys } from '@keywatch/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('usage_400');
});
afterAll(async () => v?.close());

describe('400: usage queries that cannot be answered name the field', () => {
  it.each([
    ['granularity=week', 'granularity'],
    ['from=yesterday', 'from'],
    ['from=2026-11-23&to=2026-11-22', 'from'],
    ['to=2020-01-01', 'to: must be after from'],
    ['from=2000-01-01&to=2026-01-01&granularity=minute', 'granularity'],
  ])('GET /api/usage?%s → 400 naming %s', async (query, field) => {
    for (const path of ['/api/usage', '/api/api-keys/KEY/usage']) {
      const { key } = await v.makeKey({ scopes: ['chat'] });
      const res = await v.app.inject({
        url: `${path.replace('KEY', key.id)}?${query}`,
        headers: bearer(v.adminSecret),
      });
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.message).toContain(field);
    }
  });
});

describe('400: the org report’s `top`', () => {
  it.each(['top=101', 'top=-1', 'top=two'])('GET /api/usage?%s → 400 naming top', async (query) => {
    const res = await v.app.inject({ url: `/api/usage?${query}`, headers: bearer(v.adminSecret) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^top: /);
  });
});

describe('400: the org report is bounded in the buckets of usage it holds', () => {
  it('refuses a range holding more than 200,000 buckets over the keys, naming granularity; keys without usage cost nothing', async () => {
    const { db } = v.ctx.database;
    const keys = await db.$count(apiKeys, eq(apiKeys.orgId, v.org.id));
    for (let i = keys; i < 25; i++) await v.makeKey({ scopes: ['chat'] });
    // Many keys and a long minute range, but no usage yet: answered.
    const range = 'from=2026-01-01T00:00:00Z&to=2026-01-07T06:00:00Z';
    const minutely = () =>
      v.app.inject({ url: `/api/usage?${range}&granularity=minute`, headers: bearer(v.adminSecret) });
    expect((await minutely()).statusCode).toBe(200);

    // 25 keys × 8,001 minutes of usage: 200,025 buckets, past the bound.
    await db.execute(sql`
      insert into usage_buckets (key_id, granularity, bucket_start, total, success, failure)
      select k.id, 'minute', timestamptz '2026-01-01T00:00:00Z' + m * interval '1 minute', 1, 1, 0
      from api_keys k, generate_series(0, 8000) m where k.org_id = ${v.org.id}`);
    const refused = await minutely();
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('invalid_request');
    expect(refused.json().error.message).toMatch(
      /^granularity: .*more than 200000 buckets .*narrow the range .* or coarsen the granularity$/,
    );
    // One key's report over the same range holds its own 8,001 buckets: answered.
    const one = await v.app.inject({
      url: `/api/api-keys/${v.adminKeyId}/usage?${range}&granularity=minute`,
      headers: bearer(v.adminSecret),
    });
    expect(one.statusCode).toBe(200);
    expect(one.json().series).toHaveLength(8001);
  });
});
