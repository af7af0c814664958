import { DEFAULT_RATE_LIMIT, type RateLimitSetting } from '@keywatch/keys';
import { HOUR_MS, MINUTE_MS, SECOND_MS } from '@keywatch/rules';
import type { Redis } from 'ioredis';

export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets. */
  reset: number;
  period: RateLimitSetting['period'];
}

const PERIOD_MS = { second: SECOND_MS, minute: MINUTE_MS, hour: HOUR_MS } as const;

// One round trip: take `n` tokens from the key's current window and make the window expire.
const SCRIPT = `
local n = redis.call('INCRBY', KEYS[1], ARGV[2])
if n == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

export type RateLimiter = (
  keyId: string,
  setting: RateLimitSetting | null,
  now: Date,
) => Promise<RateLimitState>;

/** Fixed windows counted in this process only: the fallback while Redis cannot answer. */
export class LocalWindows {
  private readonly counts = new Map<string, { count: number; endsAt: number }>();

  increment(id: string, endsAt: number, now: number): number {
    if (this.counts.size > 100_000) {
      for (const [k, v] of this.counts) if (v.endsAt <= now) this.counts.delete(k);
    }
    const entry = this.counts.get(id);
    if (entry) return ++entry.count;
    this.counts.set(id, { count: 1, endsAt });
    return 1;
  }
}

/**
 * How many tokens a replica takes from Redis at once: 1 for small limits (every request asks
 * Redis, exactly), up to 1,000 for large ones, so busy keys cost a round trip per lease.
 */
export const leaseSize = (limit: number): number => Math.max(1, Math.min(1000, Math.floor(limit / 100)));

interface Lease {
  windowStart: number;
  /** The limit the tokens were taken for: a changed limit (PATCH) voids the lease. */
  limit: number;
  /** Tokens taken from Redis and not yet spent here. */
  left: number;
  /** Redis's count for the window after the last lease (all replicas' tokens). */
  counted: number;
}

/**
 * Fixed windows counted in Redis and shared by every verifier replica. Tokens are leased: Redis
 * counts every token handed to any replica, so together they never admit more than the limit
 * (a replica holding unspent tokens can only make another refuse a little early). If Redis cannot
 * answer, verification goes on with windows counted per replica, and `onDegraded` says so.
 */
export function redisRateLimiter(
  redis: Redis,
  prefix: string,
  onDegraded: (err: unknown) => void,
): RateLimiter {
  const local = new LocalWindows();
  const leases = new Map<string, Lease>();
  const pending = new Map<string, Promise<void>>();
  // EVALSHA: the script is sent once, not with every request.
  redis.defineCommand('keywatchTakeTokens', { numberOfKeys: 1, lua: SCRIPT });
  const take = redis as unknown as {
    keywatchTakeTokens(key: string, ttlMs: number, n: number): Promise<number>;
  };

  async function renew(id: string, windowStart: number, ttlMs: number, limit: number) {
    const n = leaseSize(limit);
    const counted = Number(await take.keywatchTakeTokens(id, ttlMs, n));
    // Of the n tokens taken, only those within the limit can be spent.
    const granted = Math.max(0, Math.min(n, limit - (counted - n)));
    const lease = leases.get(id);
    if (lease && lease.windowStart === windowStart && lease.limit === limit) {
      lease.left += granted;
      lease.counted = counted;
    } else leases.set(id, { windowStart, limit, left: granted, counted });
  }

  // Leases of ended windows are of no use: sweep them, whether or not their keys come back.
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [id, lease] of leases) if (lease.windowStart + PERIOD_MS.hour < now) leases.delete(id);
  }, 60_000);
  sweeper.unref();

  return async (keyId, setting, now) => {
    const { limit, period } = setting ?? DEFAULT_RATE_LIMIT;
    const size = PERIOD_MS[period];
    const windowStart = Math.floor(now.getTime() / size) * size;
    const reset = Math.ceil((windowStart + size) / 1000);
    const id = `${prefix}:rl:${keyId}:${period}:${windowStart}`;
    try {
      // Ends: every renewal raises Redis's count, until the window is spent.
      for (;;) {
        let lease = leases.get(id);
        if (lease && lease.limit !== limit) {
          leases.delete(id); // the key's limit changed: tokens taken for the old one are void
          lease = undefined;
        }
        if (lease && lease.left > 0) {
          lease.left--;
          return {
            allowed: true,
            limit,
            remaining: Math.max(0, limit - lease.counted + lease.left),
            reset,
            period,
          };
        }
        if (lease && lease.counted >= limit) break; // the window is spent everywhere
        // One renewal at a time per window; concurrent requests wait for it.
        let renewing = pending.get(id);
        if (!renewing) {
          renewing = renew(id, windowStart, size + 1000, limit).finally(() => pending.delete(id));
          pending.set(id, renewing);
        }
        await renewing;
      }
      return { allowed: false, limit, remaining: 0, reset, period };
    } catch (err) {
      onDegraded(err);
      const count = local.increment(id, windowStart + size, now.getTime());
      return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), reset, period };
    }
  };
}
