import type { Config } from '@keywatch/config';
import type { Db } from '@keywatch/db';
import type { Logger } from '@keywatch/log';
import { DAY_MS, GRANULARITIES, type Granularity, HOUR_MS } from '@keywatch/rules';
import { type SQL, sql } from 'drizzle-orm';

/** How long usage buckets are kept, by granularity (by the time of the bucket). */
export const USAGE_RETENTION_MS: Record<Granularity, number> = {
  minute: 48 * HOUR_MS,
  hour: 90 * DAY_MS,
  day: 730 * DAY_MS,
};

/** What the record retention reads from the environment (see packages/config). */
export type RecordRetention = Pick<
  Config,
  | 'ALERT_RETENTION_DAYS'
  | 'AUDIT_RETENTION_DAYS'
  | 'KEY_CHANGE_RETENTION_DAYS'
  | 'ROTATION_SCAN_RETENTION_DAYS'
>;

interface RetentionRule {
  name: string;
  table: string;
  keepMs: number;
  /** The rows past retention, given the cutoff (an ISO time). */
  expired: (cutoff: string) => SQL;
}

const olderThan = (column: string) => (cutoff: string) =>
  sql`${sql.identifier(column)} < ${cutoff}::timestamptz`;

const USAGE_RULES: RetentionRule[] = [
  ...[
    'usage_buckets',
    'usage_code_counts',
    'usage_country_counts',
    'org_usage_buckets',
    'org_usage_code_counts',
    'org_usage_country_counts',
  ].flatMap((table) =>
    GRANULARITIES.map((granularity) => ({
      name: `${table} (${granularity})`,
      table,
      keepMs: USAGE_RETENTION_MS[granularity],
      expired: (cutoff: string) => sql`granularity = ${granularity} and ${olderThan('bucket_start')(cutoff)}`,
    })),
  ),
  // Enough hours for the alerter's fan-out signal to learn a week of habits.
  { name: 'key_hourly_ips', table: 'key_hourly_ips', keepMs: 8 * DAY_MS, expired: olderThan('hour_start') },
  {
    name: 'keyless_failures',
    table: 'keyless_failures',
    keepMs: 48 * HOUR_MS,
    expired: olderThan('bucket_start'),
  },
];

/**
 * The usage aggregates, then the records a tenant's activity piles up. In this order: deliveries
 * before their alerts, and an alert only once no delivery refers to it, so no delivery is ever
 * left without its alert. A firing alert is kept however old: it is still news.
 */
export function retentionRules(config: RecordRetention): RetentionRule[] {
  const alertsKeepMs = config.ALERT_RETENTION_DAYS * DAY_MS;
  const resolvedBefore = (cutoff: string) => sql`state = 'resolved' and resolved_at < ${cutoff}::timestamptz`;
  return [
    ...USAGE_RULES,
    {
      name: 'deliveries (of resolved alerts)',
      table: 'deliveries',
      keepMs: alertsKeepMs,
      expired: (cutoff) => sql`alert_id in (select id from alerts where ${resolvedBefore(cutoff)})`,
    },
    {
      // Rotation reminders and digests: about a key or a minute, not an alert.
      name: 'deliveries (without an alert)',
      table: 'deliveries',
      keepMs: alertsKeepMs,
      expired: (cutoff) => sql`alert_id is null and ${olderThan('created_at')(cutoff)}`,
    },
    {
      name: 'alerts (resolved)',
      table: 'alerts',
      keepMs: alertsKeepMs,
      expired: (cutoff) =>
        sql`${resolvedBefore(cutoff)} and not exists (select 1 from deliveries d where d.alert_id = alerts.id)`,
    },
    // Only those in force mute anything; the rest are history, kept as long as the alerts.
    { name: 'silences (expired)', table: 'silences', keepMs: alertsKeepMs, expired: olderThan('until') },
    {
      name: 'audit_log',
      table: 'audit_log',
      keepMs: config.AUDIT_RETENTION_DAYS * DAY_MS,
      expired: olderThan('at'),
    },
    {
      name: 'key_changes',
      table: 'key_changes',
      keepMs: config.KEY_CHANGE_RETENTION_DAYS * DAY_MS,
      expired: olderThan('at'),
    },
    {
      // The latest scan stays whatever its age: it dates the catch-up at the next start.
      name: 'rotation_scans',
      table: 'rotation_scans',
      keepMs: config.ROTATION_SCAN_RETENTION_DAYS * DAY_MS,
      expired: (cutoff) => sql`${olderThan('ran_at')(cutoff)} and id < (select max(id) from rotation_scans)`,
    },
  ];
}

export type PruneResult = Record<string, number>;

/**
 * Deletes rows past their retention in short statements of at most `chunk` rows, each its own
 * transaction: old rows are locked only for a moment and rows being written (recent buckets) never,
 * so the aggregator's writers are not held up. Replicas may run it at once; they only share the work.
 */
export async function pruneExpired(
  db: Db,
  now: Date,
  config: RecordRetention,
  chunk = 5000,
): Promise<PruneResult> {
  const deleted: PruneResult = {};
  for (const rule of retentionRules(config)) {
    const cutoff = new Date(now.getTime() - rule.keepMs).toISOString();
    let count = 0;
    for (;;) {
      const result = await db.execute(sql`
        delete from ${sql.identifier(rule.table)} where ctid = any(array(
          select ctid from ${sql.identifier(rule.table)} where ${rule.expired(cutoff)} limit ${chunk}))`);
      count += result.count;
      if (result.count < chunk) break;
    }
    deleted[rule.name] = count;
  }
  return deleted;
}

/** Prunes now and then every `everyMs`; a failure is logged and the next round tries again. */
export function scheduleRetention(
  db: Db,
  log: Logger,
  config: RecordRetention,
  everyMs = 10 * 60_000,
): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const deleted = await pruneExpired(db, new Date(), config);
      if (Object.values(deleted).some((n) => n > 0))
        log.info({ deleted }, 'pruned expired aggregates and records');
    } catch (err) {
      log.error({ err }, 'retention failed; retrying at the next round');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(run, everyMs);
  timer.unref();
  void run();
  return () => clearInterval(timer);
}
