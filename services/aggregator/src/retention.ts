import { type Db, GRANULARITIES, type Granularity } from '@keywatch/db';
import type { Logger } from '@keywatch/log';
import { sql } from 'drizzle-orm';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How long usage buckets are kept, by granularity (by the time of the bucket). */
export const USAGE_RETENTION_MS: Record<Granularity, number> = {
  minute: 48 * HOUR,
  hour: 90 * DAY,
  day: 730 * DAY,
};

interface RetentionRule {
  name: string;
  table: string;
  column: string;
  granularity?: Granularity;
  keepMs: number;
}

export const RETENTION: RetentionRule[] = [
  ...['usage_buckets', 'usage_code_counts', 'usage_country_counts'].flatMap((table) =>
    GRANULARITIES.map((granularity) => ({
      name: `${table} (${granularity})`,
      table,
      column: 'bucket_start',
      granularity,
      keepMs: USAGE_RETENTION_MS[granularity],
    })),
  ),
  // Enough hours for the alerter's fan-out signal to learn a week of habits.
  { name: 'key_hourly_ips', table: 'key_hourly_ips', column: 'hour_start', keepMs: 8 * DAY },
  { name: 'keyless_failures', table: 'keyless_failures', column: 'bucket_start', keepMs: 48 * HOUR },
];

export type PruneResult = Record<string, number>;

/**
 * Deletes buckets past their retention in short statements of at most `chunk` rows, each its own
 * transaction: old rows are locked only for a moment and rows being written (recent buckets) never,
 * so the aggregator's writers are not held up. Replicas may run it at once; they only share the work.
 */
export async function pruneExpired(db: Db, now: Date, chunk = 5000): Promise<PruneResult> {
  const deleted: PruneResult = {};
  for (const rule of RETENTION) {
    const cutoff = new Date(now.getTime() - rule.keepMs).toISOString();
    const ofGranularity = rule.granularity ? sql`granularity = ${rule.granularity} and` : sql``;
    let count = 0;
    for (;;) {
      const result = await db.execute(sql`
        delete from ${sql.identifier(rule.table)} where ctid = any(array(
          select ctid from ${sql.identifier(rule.table)}
          where ${ofGranularity} ${sql.identifier(rule.column)} < ${cutoff}::timestamptz
          limit ${chunk}))`);
      count += result.count;
      if (result.count < chunk) break;
    }
    deleted[rule.name] = count;
  }
  return deleted;
}

/** Prunes now and then every `everyMs`; a failure is logged and the next round tries again. */
export function scheduleRetention(db: Db, log: Logger, everyMs = 10 * 60_000): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const deleted = await pruneExpired(db, new Date());
      if (Object.values(deleted).some((n) => n > 0)) log.info({ deleted }, 'pruned expired aggregates');
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
