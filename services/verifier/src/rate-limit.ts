import { DEFAULT_RATE_LIMIT, type RateLimitSetting } from '@keywatch/keys';
import type { Redis } from 'ioredis';

export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets. */
  reset: number;
  period: RateLimitSetting['period'];
}

const PERIOD_MS = { second: 1000, minute: 60_000, hour: 3_600_000 } as const;

// One round trip: count this request in the key's current window and give the window's expiry.
const SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

export type RateLimiter = (
  keyId: string,
  setting: RateLimitSetting | null,
  now: Date,
) => Promise<RateLimitState>;

/**
 * Fixed windows counted in Redis, shared by every verifier replica. If Redis cannot answer, the
 * request is let through (availability first) and the caller is told through `onError`.
 */
export function redisRateLimiter(redis: Redis, prefix: string, onError: (err: unknown) => void): RateLimiter {
  return async (keyId, setting, now) => {
    const { limit, period } = setting ?? DEFAULT_RATE_LIMIT;
    const size = PERIOD_MS[period];
    const windowStart = Math.floor(now.getTime() / size) * size;
    const reset = Math.ceil((windowStart + size) / 1000);
    try {
      const count = Number(await redis.eval(SCRIPT, 1, `${prefix}:rl:${keyId}:${windowStart}`, size + 1000));
      return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), reset, period };
    } catch (err) {
      onError(err);
      return { allowed: true, limit, remaining: limit, reset, period };
    }
  };
}
