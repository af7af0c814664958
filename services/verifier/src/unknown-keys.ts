import type { ApiKey } from '@keywatch/db';
import { MINUTE_MS, sourceOf } from '@keywatch/rules';
import type { KeyCache } from './key-cache.ts';
import type { RateLimitState } from './rate-limit.ts';

/**
 * How many unknown keys each source may have looked up in Postgres per minute (fixed windows).
 * A lookup that finds a key costs nothing. Memory is bounded: past `maxSources` in a minute, new
 * sources share one overflow budget ten times as large.
 */
export class UnknownKeyBudget {
  private window = 0;
  private readonly spent = new Map<string, number>();

  constructor(
    readonly perMinute: number,
    private readonly maxSources = 100_000,
  ) {}

  /** Takes one lookup from the source's budget; false when it is spent for this minute. */
  take(source: string, now: number): boolean {
    const window = Math.floor(now / MINUTE_MS);
    if (window !== this.window) {
      this.window = window;
      this.spent.clear();
    }
    const id = this.spent.has(source) || this.spent.size < this.maxSources ? source : '*';
    const limit = id === '*' ? this.perMinute * 10 : this.perMinute;
    const spent = this.spent.get(id) ?? 0;
    if (spent >= limit) return false;
    this.spent.set(id, spent + 1);
    return true;
  }

  /** Gives back a lookup that found a key. */
  refund(source: string): void {
    const spent = this.spent.get(source);
    if (spent) this.spent.set(source, spent - 1);
  }

  /** What a source past its budget is told: this minute's limit and when it resets. */
  spentState(now: number): RateLimitState {
    return {
      allowed: false,
      limit: this.perMinute,
      remaining: 0,
      reset: Math.ceil((Math.floor(now / MINUTE_MS) + 1) * (MINUTE_MS / 1000)),
      period: 'minute',
    };
  }
}

/** The source was past its budget of unknown keys: no lookup was made. */
export interface Throttled {
  throttled: RateLimitState;
}

export type KeyLookup = (hash: string, ip: string | null) => Promise<ApiKey | undefined | Throttled>;

/**
 * Key lookup through the cache, where a hash never seen before costs the source a lookup from its
 * budget: a flood of random keys from one source reaches Postgres at most `perMinute` times a
 * minute, while keys already known (and every other source) are not slowed at all.
 */
export function budgetedLookup(cache: KeyCache, budget: UnknownKeyBudget, now = Date.now): KeyLookup {
  return async (hash, ip) => {
    if (cache.knows(hash)) return cache.get(hash);
    const source = sourceOf(ip);
    const at = now();
    if (!budget.take(source, at)) return { throttled: budget.spentState(at) };
    const key = await cache.get(hash);
    if (key) budget.refund(source);
    return key;
  };
}
