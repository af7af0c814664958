import { apiKeys } from '@keywatch/db';
import { eq } from 'drizzle-orm';
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

describe('400: the org report is bounded in keys × points', () => {
  it('refuses a range whose points over every key pass 200,000, naming granularity', async () => {
    const { db } = v.ctx.database;
    const keys = await db.$count(apiKeys, eq(apiKeys.orgId, v.org.id));
    for (let i = keys; i < 25; i++) await v.makeKey({ scopes: ['chat'] });
    // 9,000 minutes: under the 10,000 points of one key, past the bound for 25 keys.
    const range = 'from=2026-01-01T00:00:00Z&to=2026-01-07T06:00:00Z';
    const refused = await v.app.inject({
      url: `/api/usage?${range}&granularity=minute`,
      headers: bearer(v.adminSecret),
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('invalid_request');
    expect(refused.json().error.message).toMatch(
      /^granularity: .*narrow the range .* or coarsen the granularity$/,
    );
    const hourly = await v.app.inject({
      url: `/api/usage?${range}&granularity=hour`,
      headers: bearer(v.adminSecret),
    });
    expect(hourly.statusCode).toBe(200);
  });
});
