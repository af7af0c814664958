import { MAX_RETRY_AFTER_MS } from '@keywatch/notify';
import { createTestContext, deleteRedisPrefix, type TestContext, waitFor } from '@keywatch/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destinationThrottle } from '../../src/destination-throttle.ts';

let ctx: TestContext;
let redis: Redis;
const limits = { perDestination: 2, perOrg: 3, leaseMs: 30_000 };

beforeAll(async () => {
  ctx = await createTestContext('destination-throttle');
  redis = new Redis(ctx.config.REDIS_URL);
});
afterAll(async () => {
  await deleteRedisPrefix(ctx.config.REDIS_URL, ctx.config.REDIS_PREFIX);
  redis?.disconnect();
  await ctx?.close();
});

const throttleFor = (name: string, over: Partial<typeof limits> = {}) =>
  destinationThrottle(redis, `${ctx.config.REDIS_PREFIX}:${name}`, { ...limits, ...over });

describe('destinationThrottle', () => {
  it('holds a destination as long as it asked, at most 10 minutes, and no other', async () => {
    const throttle = throttleFor('hold');
    await throttle.hold('webhook:https://a.example', 3_600_000);
    const held = await throttle.admit('webhook:https://a.example', 'org-a', 'job-1');
    expect(held.admitted).toBe(false);
    const wait = !held.admitted && held.retryAt - Date.now();
    expect(wait).toBeGreaterThan(MAX_RETRY_AFTER_MS - 5_000);
    expect(wait).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS + 250);
    expect((await throttle.admit('webhook:https://b.example', 'org-a', 'job-2')).admitted).toBe(true);
  });

  it('never shortens a hold', async () => {
    const throttle = throttleFor('longest');
    await throttle.hold('slack:#a', 60_000);
    await throttle.hold('slack:#a', 1_000);
    const held = await throttle.admit('slack:#a', null, 'job-1');
    expect(!held.admitted && held.retryAt - Date.now()).toBeGreaterThan(50_000);
  });

  it('bounds the sends in flight per destination, and frees a place on release', async () => {
    const throttle = throttleFor('bound');
    const first = await throttle.admit('webhook:https://slow.example', 'org-a', 'job-1');
    const second = await throttle.admit('webhook:https://slow.example', 'org-a', 'job-2');
    const third = await throttle.admit('webhook:https://slow.example', 'org-a', 'job-3');
    expect([first.admitted, second.admitted, third.admitted]).toEqual([true, true, false]);
    expect(!third.admitted && third.retryAt - Date.now()).toBeLessThanOrEqual(1_250);
    if (first.admitted) await first.release();
    expect((await throttle.admit('webhook:https://slow.example', 'org-a', 'job-3')).admitted).toBe(true);
  });

  it("bounds one org's sends over all its destinations, not another org's", async () => {
    const throttle = throttleFor('org');
    for (let i = 0; i < 3; i++)
      expect((await throttle.admit(`webhook:https://slow-${i}.example`, 'org-a', `a-${i}`)).admitted).toBe(
        true,
      );
    expect((await throttle.admit('webhook:https://slow-3.example', 'org-a', 'a-3')).admitted).toBe(false);
    expect((await throttle.admit('webhook:https://slow-3.example', 'org-b', 'b-0')).admitted).toBe(true);
  });

  it("lets a crashed worker's lease expire", async () => {
    const throttle = throttleFor('expiry', { perDestination: 1, leaseMs: 300 });
    expect((await throttle.admit('webhook:https://crash.example', 'org-a', 'job-1')).admitted).toBe(true);
    expect((await throttle.admit('webhook:https://crash.example', 'org-a', 'job-2')).admitted).toBe(false);
    await waitFor(
      'the lease expired',
      async () => (await throttle.admit('webhook:https://crash.example', 'org-a', 'job-2')).admitted,
    );
  });
});
