import { createHash } from 'node:crypto';
import type { Config } from '@keywatch/config';
import { alerts, apiKeys, type Db } from '@keywatch/db';
import type { DeliverJob } from '@keywatch/jobs';
import { MAX_RETRY_AFTER_MS } from '@keywatch/notify';
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';

/**
 * Where a delivery goes, as far as waiting is concerned: the receiver that can be slow or ask us
 * to wait. A webhook's origin (one server, whatever its paths), a Slack channel (Slack limits
 * posts per channel), an email recipient's domain (its mail server). Null for the log, which
 * never waits.
 */
export function destinationOf(
  job: Pick<DeliverJob, 'channel' | 'to'>,
  config: Pick<Config, 'SLACK_CHANNEL' | 'ALERT_EMAIL_TO'>,
): string | null {
  switch (job.channel) {
    case 'webhook':
      return job.to && URL.canParse(job.to) ? `webhook:${new URL(job.to).origin}` : null;
    case 'slack':
      return `slack:${job.to ?? config.SLACK_CHANNEL}`;
    case 'email': {
      const address = job.to ?? config.ALERT_EMAIL_TO ?? '';
      return `email:${address.slice(address.lastIndexOf('@') + 1).toLowerCase()}`;
    }
    case 'log':
      return null;
  }
}

/** The org a delivery is for, so one org's deliveries can be bounded; null for an org-less alert. */
export async function orgOfDelivery(db: Db, job: DeliverJob): Promise<string | null> {
  if (job.kind === 'digest' || job.kind === 'rotation_digest' || job.orgId !== undefined)
    return job.orgId ?? null;
  if (job.kind === 'rotation_reminder') {
    const [key] = await db.select({ orgId: apiKeys.orgId }).from(apiKeys).where(eq(apiKeys.id, job.keyId));
    return key?.orgId ?? null;
  }
  const [alert] = await db.select({ orgId: alerts.orgId }).from(alerts).where(eq(alerts.id, job.alertId));
  return alert?.orgId ?? null;
}

export interface ThrottleLimits {
  /** Sends in flight to one destination: a receiver that never answers holds at most this many workers. */
  perDestination: number;
  /** Sends in flight for one org, over all its destinations: one tenant never holds every worker. */
  perOrg: number;
  /** How long a lease lasts when its worker dies without releasing it (well past a send's timeout). */
  leaseMs: number;
}

export type Admission = { admitted: true; release(): Promise<void> } | { admitted: false; retryAt: number };

// KEYS: hold, destination leases, org leases (a key no one uses when the delivery has no org).
// ARGV: member, lease ms, per-destination bound, per-org bound.
// Returns {0, ms until the hold ends}, {1, ms until a lease expires} when full, or {2} when admitted.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local held = redis.call('PTTL', KEYS[1])
if held > 0 then return {0, held} end
local lease = tonumber(ARGV[2])
for i, bound in ipairs({tonumber(ARGV[3]), tonumber(ARGV[4])}) do
  local leases = KEYS[i + 1]
  redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
  if redis.call('ZCARD', leases) >= bound and not redis.call('ZSCORE', leases, ARGV[1]) then
    local first = redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')
    return {1, tonumber(first[2]) - now}
  end
end
for i = 2, 3 do
  redis.call('ZADD', KEYS[i], now + lease, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], lease)
end
return {2}
`;

// KEYS: hold. ARGV: ms. Extends the hold, never shortens it.
const HOLD = `
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) end
return 1
`;

// A busy destination is tried again this soon at the latest: leases are usually released long
// before they expire. Jitter keeps the waiting jobs of one destination from arriving together.
const BUSY_RETRY_MS = 1000;

/**
 * Per-destination waits and bounds on sends in flight, in Redis so every alerter replica shares
 * them. A receiver that asks to wait (Retry-After) or never answers delays only its own
 * deliveries, never the queue.
 */
export function destinationThrottle(redis: Redis, prefix: string, limits: ThrottleLimits) {
  // Hashed: destinations are tenant URLs of any length; key names stay short and say nothing.
  const keyOf = (kind: string, id: string) =>
    `${prefix}:throttle:${kind}:${createHash('sha256').update(id).digest('hex').slice(0, 32)}`;
  return {
    async admit(destination: string, orgId: string | null, member: string): Promise<Admission> {
      const leases = [keyOf('leases', destination), keyOf('org-leases', orgId ?? '')];
      const [verdict, ms] = (await redis.eval(
        ACQUIRE,
        3,
        keyOf('hold', destination),
        ...leases,
        member,
        limits.leaseMs,
        limits.perDestination,
        orgId ? limits.perOrg : Number.MAX_SAFE_INTEGER,
      )) as [number, number?];
      if (verdict === 2) {
        return {
          admitted: true,
          release: async () => {
            await Promise.all(leases.map((key) => redis.zrem(key, member)));
          },
        };
      }
      const wait = verdict === 0 ? ms! : Math.min(Math.max(ms!, 50), BUSY_RETRY_MS);
      return { admitted: false, retryAt: Date.now() + wait + Math.floor(Math.random() * 250) };
    },
    /** The receiver asked for a pause: none of its deliveries go out before it ends (capped). */
    async hold(destination: string, ms: number): Promise<void> {
      await redis.eval(HOLD, 1, keyOf('hold', destination), Math.min(ms, MAX_RETRY_AFTER_MS));
    },
  };
}

export type DestinationThrottle = ReturnType<typeof destinationThrottle>;
