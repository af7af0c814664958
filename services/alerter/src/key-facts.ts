import { type ApiKey, alerts, apiKeys, column, type Db, loadKeyHistory, orgs } from '@keywatch/db';
import {
  type AlertSettings,
  type Baseline,
  effectiveSettings,
  type FiringAlert,
  factsWanted,
  granularityOf,
  type KeyFacts,
  keyHistoryOf,
  learnBaseline,
  type Period,
  type ThresholdCount,
  type TopCountry,
  UNKNOWN_COUNTRY,
  type UnusualHour,
  type UsageWindow,
  unusualHoursOf,
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
  period: Period;
  windowStart: string;
};

/**
 * Reads what `decide` needs for one key: the key, its org's settings and its firing alerts in one
 * query, the threshold windows (with their top countries) in another, and, when unusualActivity is
 * on, the hours' use (with their weeks of history when their baselines are not learned yet) in a
 * third. Undefined for a revoked or deleted key.
 */
export async function loadKeyFacts(
  db: Db,
  keyId: string,
  now: Date,
  baselines = new BaselineCache(),
): Promise<LoadedKey | undefined> {
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
    wanted.historyFrom ? unusualFacts(db, keyId, wanted.hours, wanted.historyFrom, baselines) : null,
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

/**
 * Baselines learned per key and hour. They depend only on the hours before, so an alerter learns
 * each once an hour instead of reading four weeks of history on every evaluation. Bounded: the
 * oldest are forgotten first.
 */
export class BaselineCache {
  private readonly learned = new Map<string, Baseline>();
  constructor(private readonly max = 20_000) {}

  get(keyId: string, hourStart: number): Baseline | undefined {
    return this.learned.get(`${keyId}|${hourStart}`);
  }

  set(keyId: string, hourStart: number, baseline: Baseline): Baseline {
    if (this.learned.size >= this.max) this.learned.delete(this.learned.keys().next().value!);
    this.learned.set(`${keyId}|${hourStart}`, baseline);
    return baseline;
  }
}

/**
 * The unusualActivity signals' input for the given hours (consecutive, oldest first) in one query:
 * what each hour saw, and when a baseline is not learned yet, the history it is learned from.
 */
async function unusualFacts(
  db: Db,
  keyId: string,
  hours: UsageWindow[],
  historyFrom: Date,
  baselines: BaselineCache,
): Promise<UnusualHour[]> {
  const first = hours[0]!.start;
  const known = hours.map((w) => baselines.get(keyId, w.start.getTime()));
  const from = known.every(Boolean) ? first : historyFrom;
  const stored = await loadKeyHistory(db, [keyId], from, new Date(hours.at(-1)!.end.getTime()));
  const history = keyHistoryOf(
    new Map(
      stored.hours.map((h) => [
        h.start,
        {
          requests: h.requests,
          distinctIps: h.distinctIps,
          countries: h.countries.map(([country]) => country).filter((c) => c !== UNKNOWN_COUNTRY),
        },
      ]),
    ),
    from.getTime(),
    stored.usedUntilBefore.get(keyId) ?? null,
  );
  return unusualHoursOf(
    history,
    hours,
    (start) => baselines.get(keyId, start) ?? baselines.set(keyId, start, learnBaseline(history, start)),
  );
}
