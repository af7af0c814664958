import { type ApiKey, alerts, apiKeys, column, type Db, orgs } from '@keywatch/db';
import {
  type AlertSettings,
  bucketStart,
  DAY_MS,
  effectiveSettings,
  type FiringAlert,
  factsWanted,
  granularityOf,
  HOUR_MS,
  type KeyFacts,
  type ThresholdCount,
  type TopCountry,
  UNKNOWN_COUNTRY,
  UNUSUAL,
  type UnusualHour,
  type UsageWindow,
  windowOf,
} from '@keywatch/rules';
import { eq, sql } from 'drizzle-orm';

/** A key as the alerter sees it: what routing needs, and the facts its rules decide on. */
export interface LoadedKey {
  key: ApiKey;
  settings: AlertSettings;
  facts: KeyFacts;
}

type FiringRow = {
  id: string;
  rule: string;
  subject: string;
  period: 'hourly' | 'daily';
  windowStart: string;
};

/**
 * Reads what `decide` needs for one key: the key, its org's settings and its firing alerts in one
 * query, the threshold windows (with their top countries) in another, and, when unusualActivity is
 * on, the hours' signals and their week of history in a third. Undefined for a revoked or deleted key.
 */
export async function loadKeyFacts(db: Db, keyId: string, now: Date): Promise<LoadedKey | undefined> {
  const [row] = await db
    .select({
      key: apiKeys,
      orgAlerts: orgs.alerts,
      firing: sql<FiringRow[]>`(
        select coalesce(json_agg(json_build_object('id', a.id, 'rule', a.rule, 'subject', a.subject,
          'period', a.period, 'windowStart', a.window_start)), '[]'::json)
        from ${alerts} a where a.key_id = ${apiKeys.id} and a.state = 'firing')`,
    })
    .from(apiKeys)
    .innerJoin(orgs, eq(orgs.id, apiKeys.orgId))
    .where(eq(apiKeys.id, keyId));
  if (!row || row.key.revokedAt) return undefined;
  const settings = effectiveSettings(row.orgAlerts, row.key.alerts);
  const wanted = factsWanted(settings, now, row.key.lastUsedAt);
  const [counts, unusual] = await Promise.all([
    thresholdCounts(db, keyId, wanted.windows),
    wanted.hours.length > 0 ? unusualFacts(db, keyId, wanted.hours) : null,
  ]);
  const firing: FiringAlert[] = row.firing.map((a) => ({
    id: a.id,
    rule: a.rule,
    subject: a.subject,
    window: windowOf(a.period, new Date(a.windowStart)),
  }));
  return {
    key: row.key,
    settings,
    facts: { settings, counts, unusual, keyCreatedAt: row.key.createdAt, firing },
  };
}

/** Requests and failures of each window, and its three busiest countries, in one query. */
async function thresholdCounts(db: Db, keyId: string, windows: UsageWindow[]): Promise<ThresholdCount[]> {
  if (windows.length === 0) return [];
  const rows = await db.execute<{ total: number | null; failure: number | null; top: TopCountry[] }>(sql`
    select b.total, b.failure, (
      select coalesce(json_agg(json_build_object('country', c.country, 'count', c.count)
        order by c.count desc, c.country), '[]'::json)
      from (select country, count from usage_country_counts
            where key_id = ${keyId} and granularity = w.granularity and bucket_start = w.start
            order by count desc, country limit 3) c) as top
    from unnest(${column(
      windows.map((w) => granularityOf(w.period)),
      'text',
    )}, ${column(
      windows.map((w) => w.start.toISOString()),
      'timestamptz',
    )}) with ordinality as w(granularity, start, n)
    left join usage_buckets b
      on b.key_id = ${keyId} and b.granularity = w.granularity and b.bucket_start = w.start
    order by w.n`);
  return [...rows].map((r, i) => ({
    window: windows[i]!,
    requests: Number(r.total ?? 0),
    failures: Number(r.failure ?? 0),
    topCountries: r.top.map((c) => ({ country: c.country, count: Number(c.count) })),
  }));
}

type UnusualRow = {
  hours: { start: string; total: number }[];
  hourBeforeHistory: string | null;
  lastDays: string[];
  countries: { start: string; country: string }[];
  ips: { start: string; n: number }[];
  seen: { country: string; firstSeenAt: string }[];
};

/**
 * The unusualActivity signals' input for the given hours (consecutive, oldest first) in one query:
 * the hourly totals over the week before the first of them, the countries and distinct IPs of
 * each, the key's last use before them, and every country it was ever used from.
 */
async function unusualFacts(db: Db, keyId: string, hours: UsageWindow[]): Promise<KeyFacts['unusual']> {
  const first = hours[0]!.start;
  const last = hours.at(-1)!.start;
  const historyFrom = new Date(first.getTime() - UNUSUAL.historyHours * HOUR_MS);
  const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  const json = (query: ReturnType<typeof sql>) =>
    sql`(select coalesce(json_agg(x), '[]'::json) from (${query}) x)`;
  const [row] = await db.execute<UnusualRow>(sql`
    select
      ${json(sql`select bucket_start as start, total from usage_buckets
        where key_id = ${keyId} and granularity = 'hour'
          and bucket_start >= ${at(historyFrom)} and bucket_start <= ${at(last)}`)} as hours,
      (select to_json(max(bucket_start)) from usage_buckets
        where key_id = ${keyId} and granularity = 'hour' and bucket_start < ${at(historyFrom)}) as "hourBeforeHistory",
      (select coalesce(json_agg(d.bucket_start), '[]'::json) from (select bucket_start from usage_buckets
        where key_id = ${keyId} and granularity = 'day' and bucket_start < ${at(bucketStart('day', last))}
        order by bucket_start desc limit ${hours.length}) d) as "lastDays",
      ${json(sql`select bucket_start as start, country from usage_country_counts
        where key_id = ${keyId} and granularity = 'hour' and bucket_start >= ${at(first)}
          and bucket_start <= ${at(last)} and country <> ${UNKNOWN_COUNTRY}`)} as countries,
      ${json(sql`select hour_start as start, count(*)::int as n from key_hourly_ips
        where key_id = ${keyId} and hour_start >= ${at(first)} and hour_start <= ${at(last)}
        group by hour_start`)} as ips,
      ${json(sql`select country, first_seen_at as "firstSeenAt" from key_countries
        where key_id = ${keyId} and country <> ${UNKNOWN_COUNTRY}`)} as seen`);
  const r = row!;
  const totals = r.hours.map((h) => ({ start: Date.parse(h.start), total: Number(h.total) }));
  const hourBeforeHistory = r.hourBeforeHistory === null ? null : Date.parse(r.hourBeforeHistory);
  const lastDays = r.lastDays.map((d) => Date.parse(d));
  return {
    countriesSeen: r.seen.map((s) => ({ country: s.country, firstSeenAt: new Date(s.firstSeenAt) })),
    hours: hours.map((window): UnusualHour => {
      const start = window.start.getTime();
      const from = start - UNUSUAL.historyHours * HOUR_MS;
      const history = new Array<number>(UNUSUAL.historyHours).fill(0);
      for (const h of totals)
        if (h.start >= from && h.start < start) history[(h.start - from) / HOUR_MS] = h.total;
      // The last use before this hour: from hour buckets (90 days), else day buckets (2 years). A
      // bucket's end is the latest its last use can have been: idle time is never overstated.
      const earlierHours = totals.filter((h) => h.start < start).map((h) => h.start);
      const lastHour = Math.max(...earlierHours, hourBeforeHistory ?? Number.NEGATIVE_INFINITY);
      const lastDay = lastDays.find((d) => d < bucketStart('day', window.start).getTime());
      const lastUseBefore = Number.isFinite(lastHour)
        ? new Date(lastHour + HOUR_MS)
        : lastDay !== undefined
          ? new Date(lastDay + DAY_MS)
          : null;
      return {
        window,
        requests: totals.find((h) => h.start === start)?.total ?? 0,
        countries: r.countries.filter((c) => Date.parse(c.start) === start).map((c) => c.country),
        distinctIps: r.ips.find((i) => Date.parse(i.start) === start)?.n ?? 0,
        history,
        lastUseBefore,
      };
    }),
  };
}
