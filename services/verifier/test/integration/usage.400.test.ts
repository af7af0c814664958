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
