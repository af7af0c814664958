import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { LocalWindows, leaseSize, redisRateLimiter } from '../../src/rate-limit.ts';

describe('LocalWindows', () => {
  it('counts per window id and starts again in a new window', () => {
    const w = new LocalWindows();
    expect([
      w.increment('a:1', 2000, 1000),
      w.increment('a:1', 2000, 1000),
      w.increment('b:1', 2000, 1000),
    ]).toEqual([1, 2, 1]);
    expect(w.increment('a:2', 3000, 2000)).toBe(1);
  });
});

describe('redisRateLimiter without Redis', () => {
  it('keeps limiting per replica and reports the degradation', async () => {
    // Nothing listens on port 1: every Redis call fails at once.
    const redis = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => {});
    const degraded: unknown[] = [];
    const limiter = redisRateLimiter(redis, 'test', (err) => degraded.push(err));
    const now = new Date('2026-11-22T10:00:30Z');
    const states = [];
    for (let i = 0; i < 4; i++) states.push(await limiter('key-1', { limit: 3, period: 'minute' }, now));
    expect(states.map((s) => [s.allowed, s.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(states[0]!.reset).toBe(Date.parse('2026-11-22T10:01:00Z') / 1000);
    expect(degraded).toHaveLength(4);
    redis.disconnect();
  });
});

describe('leaseSize', () => {
  it.each([
    [1, 1],
    [100, 1],
    [199, 1],
    [1000, 10],
    [60_000, 600],
    [1_000_000_000, 1000],
  ])('limit %i → %i tokens per lease', (limit, size) => {
    expect(leaseSize(limit)).toBe(size);
  });
});
