import { alerts, type Db, keylessFailures } from '@keywatch/db';
import { type DeliverJob, enqueueDelivery } from '@keywatch/jobs';
import {
  type Channel,
  evaluateCredentialStuffing,
  overStuffingThresholdSql,
  stuffingMinutesSql,
} from '@keywatch/rules';
import type { Queue } from 'bullmq';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { recordAlert, windowEnded } from './alerts-repository.ts';

export interface SourceDeps {
  db: Db;
  deliver: Queue<DeliverJob>;
  /** The installation's default channels: an unknown key names no org whose settings could route it. */
  channels: readonly Channel[];
  now: Date;
}

/**
 * Checks one source IP for credential stuffing over the aggregator's per-minute counts of unknown
 * keys; records the alert once per IP and hour, and queues its deliveries (idempotent like a key's).
 */
export async function evaluateSource(ip: string, { db, deliver, channels, now }: SourceDeps) {
  const minutes = await db
    .select({ start: keylessFailures.bucketStart, count: keylessFailures.count })
    .from(keylessFailures)
    .where(and(eq(keylessFailures.ip, ip), stuffingMinutesSql(keylessFailures, now)));
  const decision = evaluateCredentialStuffing({ ip, minutes }, now);
  if (!decision) return { firing: [] as string[] };
  const alertId = await recordAlert(db, null, null, decision);
  for (const channel of channels)
    await enqueueDelivery(deliver, { kind: 'alert', alertId, orgId: null, channel });
  return { firing: [alertId] };
}

/**
 * Source IPs over the threshold now, found set-wise: the sweep's safety net for a check the
 * aggregator could not queue.
 */
export async function sourcesOverThreshold(db: Db, now: Date, limit = 500): Promise<string[]> {
  const rows = await db
    .select({ ip: keylessFailures.ip })
    .from(keylessFailures)
    .where(stuffingMinutesSql(keylessFailures, now))
    .groupBy(keylessFailures.ip)
    .having(overStuffingThresholdSql(keylessFailures))
    .limit(limit);
  return rows.map((r) => r.ip);
}

/** Alerts about no key resolve when their hour ends; there are no settings asking to be told. */
export async function resolveEndedSourceAlerts(db: Db, now: Date): Promise<number> {
  const resolved = await db
    .update(alerts)
    .set({
      state: 'resolved',
      resolvedAt: now,
      details: sql`${alerts.details} || '{"resolution":"window_ended"}'::jsonb`,
    })
    .where(and(isNull(alerts.keyId), eq(alerts.state, 'firing'), windowEnded(now)))
    .returning({ id: alerts.id });
  return resolved.length;
}
