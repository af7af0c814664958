import { alerts, apiKeys, type Db, orgs, usageBuckets } from '@keywatch/db';
import { type Channel, type DeliverJob, enqueueDelivery } from '@keywatch/jobs';
import {
  effectiveSettings,
  evaluateHighUsage,
  granularityOf,
  highUsageWindows,
  type UsageWindow,
  type WindowCount,
} from '@keywatch/rules';
import type { Queue } from 'bullmq';
import { and, eq } from 'drizzle-orm';

export interface EvaluateDeps {
  db: Db;
  deliver: Queue<DeliverJob>;
  channels: readonly Channel[];
  now: Date;
}

/**
 * Loads a key's usage for the windows its rules look at, lets the pure rules decide, records each
 * firing alert once per (key, rule, window) and queues its deliveries. Safe to run again at any
 * point: the unique index and the delivery job ids make every step idempotent.
 */
export async function evaluateKey(keyId: string, { db, deliver, channels, now }: EvaluateDeps) {
  const [row] = await db
    .select({ key: apiKeys, orgAlerts: orgs.alerts })
    .from(apiKeys)
    .innerJoin(orgs, eq(orgs.id, apiKeys.orgId))
    .where(eq(apiKeys.id, keyId));
  if (!row || row.key.revokedAt) return { firing: [] as string[] };
  const settings = effectiveSettings(row.orgAlerts, row.key.alerts);
  const windows = highUsageWindows(settings, now, row.key.lastUsedAt);
  const counts = await Promise.all(windows.map((w) => windowCount(db, keyId, w)));
  const firing: string[] = [];
  for (const decision of evaluateHighUsage(settings, counts)) {
    await db
      .insert(alerts)
      .values({
        keyId,
        orgId: row.key.orgId,
        rule: decision.rule,
        period: decision.window.period,
        windowStart: decision.window.start,
        value: decision.value,
        threshold: decision.threshold,
        details: { windowEnd: decision.window.end.toISOString() },
      })
      .onConflictDoNothing();
    const [alert] = await db
      .select({ id: alerts.id })
      .from(alerts)
      .where(
        and(
          eq(alerts.keyId, keyId),
          eq(alerts.rule, decision.rule),
          eq(alerts.windowStart, decision.window.start),
        ),
      );
    // Queued on every evaluation while firing, so a crash after the insert still gets it delivered;
    // the job id (and the delivery record) keep it to one message per channel.
    for (const channel of channels)
      await enqueueDelivery(deliver, { kind: 'alert', alertId: alert!.id, channel });
    firing.push(alert!.id);
  }
  return { firing };
}

async function windowCount(db: Db, keyId: string, window: UsageWindow): Promise<WindowCount> {
  const [bucket] = await db
    .select({ total: usageBuckets.total })
    .from(usageBuckets)
    .where(
      and(
        eq(usageBuckets.keyId, keyId),
        eq(usageBuckets.granularity, granularityOf(window.period)),
        eq(usageBuckets.bucketStart, window.start),
      ),
    );
  return { window, requests: bucket?.total ?? 0 };
}
