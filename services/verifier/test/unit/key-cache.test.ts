import type { ApiKey } from '@keywatch/db';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeyCache, KeyStoreUnavailableError } from '../../src/key-cache.ts';

const row = (name: string) => ({ id: name, name }) as unknown as ApiKey;

function cacheOver(db: Map<string, ApiKey>) {
  const loads: string[] = [];
  const cache = new KeyCache({
    metrics: new Registry(),
    load: async (hash) => {
      loads.push(hash);
      return db.get(hash);
    },
  });
  return { cache, loads };
}

describe('KeyCache', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());

  it('serves hits from memory while changes are followed, and remembers misses', async () => {
    const db = new Map([['h1', row('a')]]);
    const { cache, loads } = cacheOver(db);
    cache.changesSeen(Date.now());
    expect(await cache.get('h1')).toEqual(row('a'));
    expect(await cache.get('h1')).toEqual(row('a'));
    expect(await cache.get('nope')).toBeUndefined();
    expect(await cache.get('nope')).toBeUndefined();
    expect(loads).toEqual(['h1', 'nope']);
  });

  it('loads once for many concurrent requests', async () => {
    const { cache, loads } = cacheOver(new Map([['h1', row('a')]]));
    await Promise.all(Array.from({ length: 50 }, () => cache.get('h1')));
    expect(loads).toEqual(['h1']);
  });

  it('forgets an invalidated key', async () => {
    const db = new Map([['h1', row('a')]]);
    const { cache } = cacheOver(db);
    cache.changesSeen(Date.now());
    await cache.get('h1');
    db.set('h1', row('revoked'));
    cache.invalidate('h1');
    expect(await cache.get('h1')).toEqual(row('revoked'));
  });

  it('trusts nothing older than 1 s while key changes cannot be followed', async () => {
    const db = new Map([['h1', row('a')]]);
    const { cache, loads } = cacheOver(db);
    cache.changesSeen(Date.now());
    await cache.get('h1');
    vi.setSystemTime(Date.now() + 1500); // the follower has not looked for 1.5 s
    db.set('h1', row('changed'));
    expect(await cache.get('h1')).toEqual(row('changed'));
    expect(loads).toHaveLength(2);
  });

  it('does not keep a load that an invalidation of its key overtook, and never gets stuck on it', async () => {
    const db = new Map([['h1', row('old')]]);
    const { cache, release } = gatedCache(db);
    cache.changesSeen(Date.now());
    const first = cache.get('h1'); // reads "old", then waits
    cache.invalidate('h1');
    db.set('h1', row('new'));
    release();
    expect(await first).toEqual(row('old'));
    expect(await cache.get('h1')).toEqual(row('new')); // not the stale load, not stuck
  });

  it("keeps a load when another key is invalidated meanwhile: one tenant's changes never void the cache", async () => {
    const db = new Map([['h1', row('a')]]);
    const loads: string[] = [];
    const { cache, release } = gatedCache(db, loads);
    cache.changesSeen(Date.now());
    const first = cache.get('h1');
    for (let i = 0; i < 100; i++) cache.invalidate(`other-${i}`);
    release();
    await first;
    expect(await cache.get('h1')).toEqual(row('a'));
    expect(loads).toEqual(['h1']);
  });

  it('never evicts a found key to remember unknown ones', async () => {
    const db = new Map([['h1', row('a')]]);
    const loads: string[] = [];
    const cache = new KeyCache({
      metrics: new Registry(),
      maxEntries: 10,
      maxMisses: 10,
      load: async (hash) => {
        loads.push(hash);
        return db.get(hash);
      },
    });
    cache.changesSeen(Date.now());
    await cache.get('h1');
    for (let i = 0; i < 1000; i++) await cache.get(`unknown-${i}`);
    expect(cache.knows('h1')).toBe(true);
    await cache.get('h1');
    expect(loads.filter((h) => h === 'h1')).toHaveLength(1);
  });
});

describe('KeyCache while Postgres cannot be reached', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());

  function outage(outageMs: number) {
    const db = new Map([['h1', row('a')]]);
    let down = false;
    const metrics = new Registry();
    const cache = new KeyCache({
      metrics,
      outageMs,
      load: async (hash) => {
        if (down)
          throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });
        return db.get(hash);
      },
    });
    return { cache, metrics, cut: () => (down = true), mend: () => (down = false) };
  }

  it('keeps verifying a cached key for the outage allowance, counted, then fails closed', async () => {
    const { cache, metrics, cut } = outage(30_000);
    cache.changesSeen(Date.now());
    await cache.get('h1');
    cut();
    vi.setSystemTime(Date.now() + 5_000); // past the 1 s staleness limit: a reload is tried and fails
    expect(await cache.get('h1')).toEqual(row('a'));
    vi.setSystemTime(Date.now() + 24_000); // 29 s after it was last known right
    expect(await cache.get('h1')).toEqual(row('a'));
    const served = await metrics.getSingleMetricAsString('keywatch_key_cache_stale_served_total');
    expect(served).toMatch(/ 2$/m);
    vi.setSystemTime(Date.now() + 2_000); // 31 s
    await expect(cache.get('h1')).rejects.toBeInstanceOf(KeyStoreUnavailableError);
  });

  it('answers unavailable at once for a key it does not hold, and recovers', async () => {
    const { cache, cut, mend } = outage(30_000);
    cache.changesSeen(Date.now());
    cut();
    await expect(cache.get('h1')).rejects.toBeInstanceOf(KeyStoreUnavailableError);
    mend();
    vi.setSystemTime(Date.now() + 1_500); // the next try after a failure waits 1 s
    expect(await cache.get('h1')).toEqual(row('a'));
  });

  it('with no allowance, fails closed as soon as the cached entry is stale', async () => {
    const { cache, cut } = outage(0);
    cache.changesSeen(Date.now());
    await cache.get('h1');
    cut();
    vi.setSystemTime(Date.now() + 1_500);
    await expect(cache.get('h1')).rejects.toBeInstanceOf(KeyStoreUnavailableError);
  });

  it('counts a lookup with no answer in time as unavailable', async () => {
    vi.useRealTimers();
    const cache = new KeyCache({
      metrics: new Registry(),
      loadTimeoutMs: 50,
      load: () => new Promise(() => {}),
    });
    await expect(cache.get('h1')).rejects.toThrow(/no answer from Postgres in 50 ms/);
  });
});

/** A cache whose loads read the row at once and answer only when released. */
function gatedCache(db: Map<string, ApiKey>, loads: string[] = []) {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const cache = new KeyCache({
    metrics: new Registry(),
    load: async (hash) => {
      loads.push(hash);
      const value = db.get(hash);
      await gate;
      return value;
    },
  });
  return { cache, release };
}
