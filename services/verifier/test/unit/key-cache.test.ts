import type { ApiKey } from '@keywatch/db';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeyCache } from '../../src/key-cache.ts';

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

  it('does not keep a load that an invalidation overtook, and never gets stuck on it', async () => {
    const db = new Map([['h1', row('old')]]);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const cache = new KeyCache({
      metrics: new Registry(),
      load: async (hash) => {
        const value = db.get(hash);
        await gate;
        return value;
      },
    });
    cache.changesSeen(Date.now());
    const first = cache.get('h1'); // reads "old", then waits
    cache.invalidate('other-key'); // any invalidation while the load is under way
    db.set('h1', row('new'));
    release();
    expect(await first).toEqual(row('old'));
    expect(await cache.get('h1')).toEqual(row('new')); // not the stale load, not stuck
  });
});
