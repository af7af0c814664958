import { isIP } from 'node:net';
import { type AnyColumn, and, gte, lte, type SQL, sql } from 'drizzle-orm';
import type { AlertDecision } from './decision.ts';
import { MINUTE_MS } from './time.ts';
import { bucketStart, windowOf } from './window.ts';

/** Credential stuffing: many unknown keys presented from one source IP within a few minutes. */
export const CREDENTIAL_STUFFING = { failures: 50, minutes: 10 } as const;

/**
 * Where a guess comes from, for counting: the IPv4 address, or the /64 of an IPv6 one (a single
 * host is routinely given a whole /64, so its addresses are one source).
 */
export function sourceOf(ip: string | null): string {
  if (!ip) return 'unknown';
  if (isIP(ip) !== 6) return ip;
  const [head, tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // Expand `::` to the missing groups (none are missing without one). An embedded IPv4 tail
  // (`…:5:1.2.3.4`) is two groups wide, and only ever lies past the /64.
  const width = (gs: string[]) => gs.length + (gs.at(-1)?.includes('.') ? 1 : 0);
  const groups = [...left, ...Array(8 - width(left) - width(right)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** Unknown keys one source IP presented, per minute bucket. */
export interface SourceFailures {
  ip: string;
  minutes: { start: Date; count: number }[];
}

/**
 * The first minute bucket counted at `now`: the current minute and the ones before it make up
 * `CREDENTIAL_STUFFING.minutes` buckets.
 */
export const stuffingSince = (now: Date): Date =>
  new Date(bucketStart('minute', now).getTime() - (CREDENTIAL_STUFFING.minutes - 1) * MINUTE_MS);

/** The minute buckets counted at `now`, set-wise over rows of per-minute counts (`keyless_failures`). */
export const stuffingMinutesSql = (row: { bucketStart: AnyColumn }, now: Date): SQL =>
  and(gte(row.bucketStart, stuffingSince(now)), lte(row.bucketStart, bucketStart('minute', now)))!;

/** Over one source's rows of `stuffingMinutesSql`: at the threshold. */
export const overStuffingThresholdSql = (row: { count: AnyColumn }): SQL =>
  sql`sum(${row.count}) >= ${CREDENTIAL_STUFFING.failures}`;

/**
 * Fires when one IP presented at least `failures` unknown keys in the last `minutes` minute
 * buckets. An unknown key names no key and no org, so the decision is the installation's: once
 * per source IP per hour, like the other signals of unusualActivity.
 */
export function evaluateCredentialStuffing(source: SourceFailures, now: Date): AlertDecision | null {
  const from = stuffingSince(now).getTime();
  const to = bucketStart('minute', now).getTime();
  const failures = source.minutes
    .filter((m) => m.start.getTime() >= from && m.start.getTime() <= to)
    .reduce((sum, m) => sum + m.count, 0);
  if (failures < CREDENTIAL_STUFFING.failures) return null;
  return {
    rule: 'unusualActivity',
    subject: `credentialStuffing:${source.ip}`,
    severity: 'critical',
    window: windowOf('hourly', now),
    value: failures,
    threshold: CREDENTIAL_STUFFING.failures,
    details: {
      signal: 'credentialStuffing',
      ip: source.ip,
      minutes: CREDENTIAL_STUFFING.minutes,
      since: new Date(from).toISOString(),
    },
  };
}
