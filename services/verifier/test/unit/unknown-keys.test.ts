import type { ApiKey } from '@keywatch/db';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { KeyCache } from '../../src/key-cache.ts';
import { budgetedLookup, UnknownKeyBudget } from '../../src/unknown-keys.ts';

describe('UnknownKeyBudget', () => {
  const minute = 60_000 * 1000;

  it('allows perMinute lookups per source per minute, then none until the next minute', () => {
    const budget = new UnknownKeyBudget(3);
    expect([1, 2, 3, 4].map(() => budget.take('a', minute))).toEqual([true, true, true, false]);
    expect(budget.take('b', minute)).toBe(true);
    expect(budget.take('a', minute + 59_999)).toBe(false);
    expect(budget.take('a', minute + 60_000)).toBe(true);
  });

  it('gives back the lookups that found a key', () => {
    const budget = new UnknownKeyBudget(1);
    expect(budget.take('a', minute)).toBe(true);
    budget.refund('a');
    expect(budget.take('a', minute)).toBe(true);
    expect(budget.take('a', minute)).toBe(false);
  });

  it('bounds its memory: past maxSources, new sources share one larger budget', () => {
    const budget = new UnknownKeyBudget(1, 2);
    expect(budget.take('a', minute)).toBe(true);
    expect(budget.take('b', minute)).toBe(true);
    const overflow = Array.from({ length: 15 }, (_, i) => budget.take(`new-${i}`, minute));
    expect(overflow.filter(Boolean)).toHaveLength(10);
  });

  it('tells a spent source when its minute resets', () => {
    expect(new UnknownKeyBudget(30).spentState(minute + 10_000)).toEqual({
      allowed: false,
      limit: 30,
      remaining: 0,
      reset: minute / 1000 + 60,
      period: 'minute',
    });
  });
});

describe('budgetedLookup', () => {
  const real = { id: 'k1' } as unknown as ApiKey;

  function lookupOver(perMinute: number) {
    const loads: string[] = [];
    const cache = new KeyCache({
      metrics: new Registry(),
      load: async (hash) => {
        loads.push(hash);
        return hash === 'real' ? real : undefined;
      },
    });
    cache.changesSeen(Date.now());
    // The budget's clock stands still: a loop that crosses a minute would start a new budget.
    const minute = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
    return { lookup: budgetedLookup(cache, new UnknownKeyBudget(perMinute), () => minute), loads };
  }

  it('sends a flood of unknown keys from one source to Postgres only perMinute times', async () => {
    const { lookup, loads } = lookupOver(30);
    const answers = [];
    for (let i = 0; i < 10_000; i++) answers.push(await lookup(`guess-${i}`, '198.51.100.9'));
    expect(loads).toHaveLength(30);
    expect(answers.slice(0, 30).every((a) => a === undefined)).toBe(true);
    expect(answers.slice(30).every((a) => a !== undefined && 'throttled' in a)).toBe(true);
  });

  it('spends one lookup, not one per request, on a burst for a key not yet cached (after a restart)', async () => {
    const { lookup, loads } = lookupOver(2);
    const answers = await Promise.all(Array.from({ length: 50 }, () => lookup('real', '198.51.100.9')));
    expect(answers.every((a) => a === real)).toBe(true);
    expect(loads).toEqual(['real']);
  });

  it('lets other sources, and keys already known, through while one source floods', async () => {
    const { lookup } = lookupOver(2);
    expect(await lookup('real', '198.51.100.9')).toBe(real); // found: costs nothing
    for (let i = 0; i < 50; i++) await lookup(`guess-${i}`, '198.51.100.9');
    expect(await lookup('real', '198.51.100.9')).toBe(real); // known to this cache
    expect(await lookup('guess-0', '198.51.100.9')).toBeUndefined(); // remembered as unknown
    expect(await lookup('new-guess', '203.0.113.1')).toBeUndefined(); // another source: looked up
  });
});
