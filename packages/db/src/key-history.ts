import { DAY_MS, HOUR_MS } from '@keywatch/rules';
import { sql } from 'drizzle-orm';
import { column } from './arrays.ts';
import type { Db } from './client.ts';

/** One key's stored hour: usage_buckets, its key_hourly_ips counted, and its usage_country_counts. */
export interface StoredHour {
  keyId: string;
  start: number;
  requests: number;
  failures: number;
  distinctIps: number;
  /** Every country of the hour with its requests (`??` included), in the order the key first used them. */
  countries: [country: string, count: number][];
}

export interface StoredKeyHistory {
  hours: StoredHour[];
  /** Per key: the end of its last hour with requests before `from` (from day buckets past the hours'). */
  usedUntilBefore: Map<string, number>;
}

/**
 * The keys' stored hours in [from, to), what the unusualActivity baselines learn from (the alerter
 * for one key, a preview for an org's), in one query. Hours without requests are absent.
 */
export async function loadKeyHistory(
  db: Db,
  keyIds: readonly string[],
  from: Date,
  to: Date,
): Promise<StoredKeyHistory> {
  if (keyIds.length === 0) return { hours: [], usedUntilBefore: new Map() };
  const keys = column(keyIds, 'uuid');
  const fromDay = new Date(from.getTime() - (from.getTime() % DAY_MS));
  const [row] = await db.execute<{
    hours: {
      keyId: string;
      start: string;
      requests: number;
      failures: number;
      ips: number;
      countries: [string, number][];
    }[];
    before: { keyId: string; lastHour: string | null; lastDay: string | null }[];
  }>(sql`
    select
      (select coalesce(json_agg(json_build_object(
          'keyId', b.key_id, 'start', b.bucket_start, 'requests', b.total, 'failures', b.failure,
          'ips', (select count(*) from key_hourly_ips i where i.key_id = b.key_id and i.hour_start = b.bucket_start),
          'countries', (select coalesce(json_agg(json_build_array(c.country, c.count)
              order by (select k.first_seen_at from key_countries k
                        where k.key_id = c.key_id and k.country = c.country), c.country), '[]'::json)
            from usage_country_counts c
            where c.key_id = b.key_id and c.granularity = 'hour' and c.bucket_start = b.bucket_start))
        order by b.bucket_start), '[]'::json)
       from usage_buckets b
       where b.key_id = any(${keys}) and b.granularity = 'hour'
         and b.bucket_start >= ${from.toISOString()}::timestamptz and b.bucket_start < ${to.toISOString()}::timestamptz
         and b.total > 0) as hours,
      (select coalesce(json_agg(json_build_object('keyId', k.id,
          'lastHour', (select max(bucket_start) from usage_buckets where key_id = k.id and granularity = 'hour'
            and bucket_start < ${from.toISOString()}::timestamptz and total > 0),
          'lastDay', (select max(bucket_start) from usage_buckets where key_id = k.id and granularity = 'day'
            and bucket_start < ${fromDay.toISOString()}::timestamptz and total > 0))), '[]'::json)
       from unnest(${keys}) as k(id)) as before`);
  const usedUntilBefore = new Map<string, number>();
  for (const b of row!.before) {
    // A bucket's end is the latest its last use can have been: idle time is never overstated.
    if (b.lastHour) usedUntilBefore.set(b.keyId, Date.parse(b.lastHour) + HOUR_MS);
    else if (b.lastDay) usedUntilBefore.set(b.keyId, Date.parse(b.lastDay) + DAY_MS);
  }
  return {
    hours: row!.hours.map((h) => ({
      keyId: h.keyId,
      start: Date.parse(h.start),
      requests: Number(h.requests),
      failures: Number(h.failures),
      distinctIps: Number(h.ips),
      countries: h.countries.map(([country, count]) => [country, Number(count)]),
    })),
    usedUntilBefore,
  };
}
