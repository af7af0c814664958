import { DEFAULT_RATE_LIMIT, type RateLimitSetting } from '@keywatch/keys';
import type { FastifyReply } from 'fastify';
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

// One round trip: count this request in the key's current window and make the window expire.
const SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
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
 * Fixed windows counted in Redis, shared by every verifier replica. If Redis cannot answer,
 * verification goes on with windows counted per replica (each replica then allows up to the
 * limit), and `onDegraded` is told so that a metric can say it.
 */
export function redisRateLimiter(
  redis: Redis,
  prefix: string,
  onDegraded: (err: unknown) => void,
): RateLimiter {
  const local = new LocalWindows();
  return async (keyId, setting, now) => {
    const { limit, period } = setting ?? DEFAULT_RATE_LIMIT;
    const size = PERIOD_MS[period];
    const windowStart = Math.floor(now.getTime() / size) * size;
    const id = `${prefix}:rl:${keyId}:${period}:${windowStart}`;
    let count: number;
    try {
      count = Number(await redis.eval(SCRIPT, 1, id, size + 1000));
    } catch (err) {
      onDegraded(err);
      count = local.increment(id, windowStart + size, now.getTime());
    }
    return {
      allowed: count <= limit,
      limit,
      remaining: Math.max(0, limit - count),
      reset: Math.ceil((windowStart + size) / 1000),
      period,
    };
  };
}

/** `X-RateLimit-*` on every answer about a key, and `Retry-After` when it is over its limit. */
export function rateLimitHeaders(reply: FastifyReply, state: RateLimitState): void {
  reply
    .header('x-ratelimit-limit', state.limit)
    .header('x-ratelimit-remaining', state.remaining)
    .header('x-ratelimit-reset', state.reset);
  if (!state.allowed) reply.header('retry-after', Math.max(1, state.reset - Math.floor(Date.now() / 1000)));
}
