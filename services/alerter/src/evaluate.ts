import {
  alerts,
  apiKeys,
  type Db,
  keyCountries,
  keyHourlyIps,
  orgs,
  UNKNOWN_COUNTRY,
  usageBuckets,
  usageCountryCounts,
  webhookSigningSecrets,
} from '@keywatch/db';
import { type Channel, type DeliverJob, enqueueDelivery, routeAlert } from '@keywatch/jobs';
import {
  type AlertDecision,
  DAY_MS,
  type DestinationPolicy,
  effectiveSettings,
  evaluateFailures,
  evaluateHighUsage,
  evaluateUnusual,
  granularityOf,
  HOUR_MS,
  learningDaysOf,
  notifiesResolution,
  resolvedAlerts,
  thresholdWindows,
  UNUSUAL,
  type UnusualHour,
  type UsageWindow,
  unusualHours,
  type WindowCount,
  windowOf,
} from '@keywatch/rules';
import type { Queue } from 'bullmq';
import { and, desc, eq, gte, isNotNull, isNull, lt, max, ne, sql } from 'drizzle-orm';

export interface EvaluateDeps {
  db: Db;
  deliver: Queue<DeliverJob>;
  /** Where alerts go when their settings name nowhere. */
  channels: readonly Channel[];
  /** The channels this alerter can send on. */
  available: readonly Channel[];
  /** Where the operator lets tenants route alerts. */
  policy: DestinationPolicy;
  now: Date;
}

/**
 * Loads what a key's rules look at, lets the pure rules decide, records each alert once per
 * (key, rule, subject, window) and queues its deliveries. Safe to run again at any point: the
 * unique index and the delivery job ids make every step idempotent.
 */
export async function evaluateKey(
  keyId: string,
  { db, deliver, channels, available, policy, now }: EvaluateDeps,
) {
  const [row] = await db
    .select({ key: apiKeys, orgAlerts: orgs.alerts })
    .from(apiKeys)
    .innerJoin(orgs, eq(orgs.id, apiKeys.orgId))
    .where(eq(apiKeys.id, keyId));
  if (!row || row.key.revokedAt) return { firing: [] as string[] };
  const settings = effectiveSettings(row.orgAlerts, row.key.alerts);
  const counts = await Promise.all(
    thresholdWindows(settings, now, row.key.lastUsedAt).map((w) => windowCount(db, keyId, w)),
  );
  const decisions = [...evaluateHighUsage(settings, counts), ...evaluateFailures(settings, counts)];
  if (learningDaysOf(settings) !== null) {
    const [countriesSeen, hours] = await Promise.all([
      db
        .select({ country: keyCountries.country, firstSeenAt: keyCountries.firstSeenAt })
        .from(keyCountries)
        .where(and(eq(keyCountries.keyId, keyId), ne(keyCountries.country, UNKNOWN_COUNTRY))),
      Promise.all(unusualHours(now).map((w) => hourOfUse(db, keyId, w))),
    ]);
    decisions.push(...evaluateUnusual(settings, { keyCreatedAt: row.key.createdAt, countriesSeen, hours }));
  }

  // An org that named a webhook but never created its signing secret cannot be sent to there:
  // its alerts take the other routes, or the defaults, rather than reaching no one.
  const signs =
    !settings.channels?.webhook || (await webhookSigningSecrets(db, row.key.orgId, now)).length > 0;
  const routes = routeAlert({
    settings,
    key: row.key,
    available: signs ? available : available.filter((c) => c !== 'webhook'),
    defaults: channels,
    policy,
  });
  const resolved = await resolveWhatCleared(db, keyId, decisions, now);
  for (const alert of resolved) {
    if (!notifiesResolution(settings, alert.rule)) continue;
    for (const route of routes)
      await enqueueDelivery(deliver, { kind: 'resolution', alertId: alert.id, ...route });
  }
  const firing: string[] = [];
  for (const decision of decisions) {
    // Where the traffic came from, for whoever reads a threshold alert.
    if (decision.rule !== 'unusualActivity')
      decision.details.topCountries = await topCountries(db, keyId, decision.window);
    const alertId = await recordAlert(db, keyId, row.key.orgId, decision);
    // Queued on every evaluation while firing, so a crash after the insert still gets it delivered;
    // the job id (and the delivery record) keep it to one message per channel.
    for (const route of routes) await enqueueDelivery(deliver, { kind: 'alert', alertId, ...route });
    firing.push(alertId);
  }
  return { firing, resolved: resolved.map((a) => a.id) };
}

/** Resolves the key's firing alerts whose condition has cleared; each only once, whoever races. */
async function resolveWhatCleared(db: Db, keyId: string, decisions: AlertDecision[], now: Date) {
  const open = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.keyId, keyId), eq(alerts.state, 'firing')));
  const cleared = resolvedAlerts(
    open.map((a) => ({
      id: a.id,
      rule: a.rule,
      subject: a.subject,
      window: windowOf(a.period, a.windowStart),
    })),
    decisions,
    now,
  );
  const done: { id: string; rule: string }[] = [];
  for (const { id, reason } of cleared) {
    const [alert] = await db
      .update(alerts)
      .set({
        state: 'resolved',
        resolvedAt: now,
        details: sql`${alerts.details} || ${JSON.stringify({ resolution: reason })}::jsonb`,
      })
      .where(and(eq(alerts.id, id), eq(alerts.state, 'firing')))
      .returning({ id: alerts.id, rule: alerts.rule });
    if (alert) done.push(alert);
  }
  return done;
}

/**
 * Keys with firing alerts whose window has ended: an evaluation resolves them. Run now and then,
 * because a key that goes quiet is never evaluated by new events.
 */
export async function keysWithEndedWindows(db: Db, now: Date, limit = 500): Promise<string[]> {
  const rows = await db
    .selectDistinct({ keyId: alerts.keyId })
    .from(alerts)
    .where(and(isNotNull(alerts.keyId), eq(alerts.state, 'firing'), windowEnded(now)))
    .limit(limit);
  return rows.map((r) => r.keyId!);
}

/** The alert's window is over at `now`. */
export const windowEnded = (now: Date) =>
  sql`${alerts.windowStart} + case ${alerts.period} when 'hourly' then interval '1 hour' else interval '1 day' end <= ${now.toISOString()}::timestamptz`;

/**
 * Records the decision as an alert unless the same (key, rule, subject, window) already is one,
 * and returns the alert's id either way. `keyId` and `orgId` are null for an alert about no key.
 */
export async function recordAlert(
  db: Db,
  keyId: string | null,
  orgId: string | null,
  decision: AlertDecision,
): Promise<string> {
  const identity = {
    keyId,
    rule: decision.rule,
    subject: decision.subject,
    period: decision.window.period,
    windowStart: decision.window.start,
  };
  await db
    .insert(alerts)
    .values({
      ...identity,
      orgId,
      severity: decision.severity,
      value: decision.value,
      threshold: decision.threshold,
      details: { ...decision.details, windowEnd: decision.window.end.toISOString() },
    })
    .onConflictDoNothing();
  const [alert] = await db
    .select({ id: alerts.id })
    .from(alerts)
    .where(
      and(
        keyId === null ? isNull(alerts.keyId) : eq(alerts.keyId, keyId),
        eq(alerts.rule, identity.rule),
        eq(alerts.subject, identity.subject),
        eq(alerts.period, identity.period),
        eq(alerts.windowStart, identity.windowStart),
      ),
    );
  return alert!.id;
}

async function topCountries(db: Db, keyId: string, window: UsageWindow) {
  return db
    .select({ country: usageCountryCounts.country, count: usageCountryCounts.count })
    .from(usageCountryCounts)
    .where(
      and(
        eq(usageCountryCounts.keyId, keyId),
        eq(usageCountryCounts.granularity, granularityOf(window.period)),
        eq(usageCountryCounts.bucketStart, window.start),
      ),
    )
    .orderBy(desc(usageCountryCounts.count), usageCountryCounts.country)
    .limit(3);
}

async function windowCount(db: Db, keyId: string, window: UsageWindow): Promise<WindowCount> {
  const [bucket] = await db
    .select({ total: usageBuckets.total, failure: usageBuckets.failure })
    .from(usageBuckets)
    .where(
      and(
        eq(usageBuckets.keyId, keyId),
        eq(usageBuckets.granularity, granularityOf(window.period)),
        eq(usageBuckets.bucketStart, window.start),
      ),
    );
  return { window, requests: bucket?.total ?? 0, failures: bucket?.failure ?? 0 };
}

const lastBucketBefore = (db: Db, keyId: string, granularity: 'hour' | 'day', before: Date) =>
  db
    .select({ start: max(usageBuckets.bucketStart) })
    .from(usageBuckets)
    .where(
      and(
        eq(usageBuckets.keyId, keyId),
        eq(usageBuckets.granularity, granularity),
        lt(usageBuckets.bucketStart, before),
      ),
    );

/** One hour of a key as the unusualActivity signals see it, from the aggregator's tables. */
async function hourOfUse(db: Db, keyId: string, window: UsageWindow): Promise<UnusualHour> {
  const hourOf = (at: Date) =>
    and(
      eq(usageBuckets.keyId, keyId),
      eq(usageBuckets.granularity, 'hour'),
      eq(usageBuckets.bucketStart, at),
    );
  const historyFrom = new Date(window.start.getTime() - UNUSUAL.historyHours * HOUR_MS);
  const [[current], countries, [ips], history, [previousHour], [previousDay]] = await Promise.all([
    db.select({ total: usageBuckets.total }).from(usageBuckets).where(hourOf(window.start)),
    db
      .select({ country: usageCountryCounts.country })
      .from(usageCountryCounts)
      .where(
        and(
          eq(usageCountryCounts.keyId, keyId),
          eq(usageCountryCounts.granularity, 'hour'),
          eq(usageCountryCounts.bucketStart, window.start),
          ne(usageCountryCounts.country, UNKNOWN_COUNTRY),
        ),
      ),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(keyHourlyIps)
      .where(and(eq(keyHourlyIps.keyId, keyId), eq(keyHourlyIps.hourStart, window.start))),
    db
      .select({ start: usageBuckets.bucketStart, total: usageBuckets.total })
      .from(usageBuckets)
      .where(
        and(
          eq(usageBuckets.keyId, keyId),
          eq(usageBuckets.granularity, 'hour'),
          gte(usageBuckets.bucketStart, historyFrom),
          lt(usageBuckets.bucketStart, window.start),
        ),
      ),
    // The last use before this hour: from hour buckets (90 days), else day buckets (2 years).
    lastBucketBefore(db, keyId, 'hour', window.start),
    lastBucketBefore(db, keyId, 'day', new Date(window.start.getTime() - (window.start.getTime() % DAY_MS))),
  ]);
  const hourly = new Array<number>(UNUSUAL.historyHours).fill(0);
  for (const h of history)
    hourly[Math.floor((h.start.getTime() - historyFrom.getTime()) / HOUR_MS)] = h.total;
  // A bucket's end is the latest its last use can have been: idle time is never overstated.
  const lastUseBefore = previousHour?.start
    ? new Date(previousHour.start.getTime() + HOUR_MS)
    : previousDay?.start
      ? new Date(previousDay.start.getTime() + DAY_MS)
      : null;
  return {
    window,
    requests: current?.total ?? 0,
    countries: countries.map((c) => c.country),
    distinctIps: ips?.n ?? 0,
    history: hourly,
    lastUseBefore,
  };
}
