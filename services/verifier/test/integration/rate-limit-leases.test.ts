import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { leaseSize, redisRateLimiter } from '../../src/rate-limit.ts';

// Two replicas' limiters on the real Redis, leasing tokens for a key with a large limit.
const redis = [new Redis(inject('infra').redisUrl), new Redis(inject('infra').redisUrl)];
const prefix = `kwtest:${inject('infra').runId}:leases`;
afterAll(() => {
  for (const r of redis) r.disconnect();
});

describe('leased rate limits across replicas', () => {
  it('never admit more than the limit, and refuse at most one lease per replica early', async () => {
    const limiters = redis.map((r) =>
      redisRateLimiter(r, prefix, (err) => {
        throw err;
      }),
    );
    const keyId = randomUUID();
    const setting = { limit: 2000, period: 'hour' as const };
    const now = new Date();
    const results = await Promise.all(
      Array.from({ length: 3000 }, (_, i) => limiters[i % 2]!(keyId, setting, now)),
    );
    const allowed = results.filter((r) => r.allowed).length;
    expect(leaseSize(2000)).toBe(20);
    expect(allowed).toBeLessThanOrEqual(2000);
    expect(allowed).toBeGreaterThanOrEqual(2000 - 2 * 20);
    expect(results.at(-1)).toMatchObject({ allowed: false, remaining: 0 });
  });

  it('keep small limits exact: one token per lease', async () => {
    const limiters = redis.map((r) =>
      redisRateLimiter(r, prefix, (err) => {
        throw err;
      }),
    );
    const keyId = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        limiters[i % 2]!(keyId, { limit: 50, period: 'minute' }, new Date()),
      ),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(50);
  });

  it('stop admitting at once when a key limit is lowered mid-window (PATCH)', async () => {
    const [limiter] = redis.map((r) =>
      redisRateLimiter(r, prefix, (err) => {
        throw err;
      }),
    );
    const keyId = randomUUID();
    const now = new Date();
    for (let i = 0; i < 50; i++) await limiter!(keyId, { limit: 10_000, period: 'hour' }, now); // holds a lease of 100
    const after = await limiter!(keyId, { limit: 60, period: 'hour' }, now);
    expect(after).toMatchObject({ allowed: false, limit: 60 });
  });
});
