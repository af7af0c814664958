import {
  apiKeys,
  type Db,
  GRANULARITIES,
  type Granularity,
  type Tx,
  usageBuckets,
  usageCodeCounts,
  usageCountryCounts,
} from '@keywatch/db';
import { bucketStart } from '@keywatch/rules';
import { and, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { ApiError, problems } from './http/errors.ts';

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((v) => new Date(v));
const MAX_POINTS = 10_000;
/** Buckets of usage one answer may hold over all its keys: a report is built in the verifier's memory. */
const MAX_REPORT_BUCKETS = 200_000;
const SIZE_MS: Record<Granularity, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

const timeRange = {
  from: instant.optional().describe('Start (ISO 8601 date or time); default: the key’s or org’s creation'),
  to: instant.optional().describe('End (ISO 8601 date or time); default: now'),
};
const granularity = z.enum(GRANULARITIES).default('day').describe('Size of each point of the series');

/** A query over a range of time (`from` before `to`), with the route's own fields. */
export const rangeQuery = <E extends z.ZodRawShape>(extra: E) =>
  z.object({ ...timeRange, ...extra }).refine(
    (q) => {
      const { from, to } = q as { from?: Date; to?: Date };
      return !from || !to || from < to;
    },
    { path: ['from'], message: 'must be before to' },
  );

/** A usage report's range: from, to, granularity. */
export const usageQuery = rangeQuery({ granularity });

/** The org's report also takes how much it holds per key. */
export const orgUsageQuery = rangeQuery({
  granularity,
  detail: z
    .enum(['series', 'summary'])
    .default('series')
    .describe(
      '`summary`: each key’s counts without its series (the totals keep theirs), for views of many keys',
    ),
});

/** The range of a report by country: the usage report's, and optionally one key. */
export const countriesQuery = rangeQuery({
  granularity,
  keyId: z.uuid().optional().describe('Only this key’s use'),
});

export interface UsageRange {
  from: Date;
  to: Date;
  granularity: Granularity;
}

/** Resolves defaults (from the key's or org's creation to now); a series too long to answer is a 400. */
export function resolveRange(query: z.output<typeof usageQuery>, createdAt: Date, now: Date): UsageRange {
  const to = query.to ?? now;
  const from = bucketStart(query.granularity, query.from ?? createdAt);
  // Only `to` given, and before the creation that `from` defaults to: nothing to report, say why.
  if (!query.from && to <= from) {
    throw new ApiError(
      problems.invalidRequest([`to: must be after from (by default the creation, ${from.toISOString()})`]),
    );
  }
  const points = Math.ceil((to.getTime() - from.getTime()) / SIZE_MS[query.granularity]);
  if (points > MAX_POINTS) {
    throw new ApiError(
      problems.invalidRequest([
        `granularity: ${query.granularity} over this range gives ${points} points; at most ${MAX_POINTS}`,
      ]),
    );
  }
  return { from, to, granularity: query.granularity };
}

/**
 * The range holds more buckets of usage than one answer may (MAX_REPORT_BUCKETS over all the keys
 * it covers): the caller narrows it. Counted on the rows themselves, so keys without usage in the
 * range, revoked ones included, cost nothing.
 */
export class ReportTooLargeError extends ApiError {
  override name = 'ReportTooLargeError';
  constructor(range: UsageRange) {
    super(
      problems.invalidRequest([
        `granularity: ${range.granularity} over this range holds more than ${MAX_REPORT_BUCKETS} buckets of usage over the keys; narrow the range (from, to) or coarsen the granularity`,
      ]),
    );
  }
}

export interface UsageReport {
  keyId: string;
  /** The key's name, so that a report of many keys reads without another call. */
  name: string;
  requestCount: number;
  successCount: number;
  failureCount: number;
  failureRate: number;
  lastUsedAt: Date | null;
  byCode: Record<string, number>;
  countries: { country: string; count: number }[];
  series: { t: string; total: number; success: number; failure: number }[];
}

/** Every key of an org over a range, and the org's totals (`keyId` is null there). */
export interface OrgUsageReport {
  orgId: string;
  from: string;
  to: string;
  granularity: Granularity;
  totals: Omit<UsageReport, 'keyId' | 'name'> & { keyId: null };
  keys: UsageReport[];
}

const readOnlySnapshot = { isolationLevel: 'repeatable read', accessMode: 'read only' } as const;

/**
 * One key's usage over a range, from the aggregator's buckets, read in one snapshot: counts and
 * last use always agree, even while a batch commits.
 */
export function usageReport(db: Db, keyId: string, range: UsageRange): Promise<UsageReport> {
  return db.transaction(async (tx) => {
    const [report] = await readReports(tx, eq(apiKeys.id, keyId), range);
    return report!;
  }, readOnlySnapshot);
}

/**
 * What an org report holds per key: each key's series and countries, or (`summary`) only its
 * counts and failure reasons, for views of many keys over long ranges; the org's totals keep
 * their series either way.
 */
export type ReportDetail = 'series' | 'summary';

/** The same for every key of an org (oldest key first), with the org's totals, in one snapshot. */
export function orgUsageReport(
  db: Db,
  orgId: string,
  range: UsageRange,
  detail: ReportDetail = 'series',
): Promise<OrgUsageReport> {
  return db.transaction(async (tx) => {
    const ofOrg = eq(apiKeys.orgId, orgId);
    const keys = await readReports(tx, ofOrg, range, detail);
    const summed = sumReports(keys);
    const totals =
      detail === 'series' ? summed : { ...summed, ...orgSeries(await readOrgSeries(tx, ofOrg, range)) };
    return {
      orgId,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      granularity: range.granularity,
      totals: { ...totals, keyId: null },
      keys,
    };
  }, readOnlySnapshot);
}

const orgSeries = (series: UsageReport['series']) => ({ ...counts(series), series });

/** The org's series, summed per bucket in Postgres (without reading each key's). */
function readOrgSeries(db: Tx, keys: SQL, range: UsageRange): Promise<UsageReport['series']> {
  return db
    .select({
      t: bucketTime,
      ...summedCounts,
    })
    .from(usageBuckets)
    .where(bucketsInRange(db, keys, range))
    .groupBy(usageBuckets.bucketStart)
    .orderBy(usageBuckets.bucketStart);
}

type Usage = Omit<UsageReport, 'keyId' | 'name'>;

/** Adds reports up: counts, codes and countries summed, series summed per bucket, latest last use. */
export function sumReports(reports: readonly Usage[]): Usage {
  const byCode: Record<string, number> = {};
  const countries = new Map<string, number>();
  const series = new Map<string, UsageReport['series'][number]>();
  let lastUsedAt: Date | null = null;
  for (const r of reports) {
    for (const [code, n] of Object.entries(r.byCode)) byCode[code] = (byCode[code] ?? 0) + n;
    for (const c of r.countries) countries.set(c.country, (countries.get(c.country) ?? 0) + c.count);
    for (const p of r.series) {
      const point = series.get(p.t) ?? { t: p.t, total: 0, success: 0, failure: 0 };
      point.total += p.total;
      point.success += p.success;
      point.failure += p.failure;
      series.set(p.t, point);
    }
    if (r.lastUsedAt && (!lastUsedAt || r.lastUsedAt > lastUsedAt)) lastUsedAt = r.lastUsedAt;
  }
  const points = [...series.values()].sort((a, b) => a.t.localeCompare(b.t));
  return {
    ...counts(points),
    lastUsedAt,
    byCode,
    countries: sortCountries([...countries].map(([country, count]) => ({ country, count }))),
    series: points,
  };
}

const sortCountries = (list: { country: string; count: number }[]) =>
  list.sort((a, b) => b.count - a.count || a.country.localeCompare(b.country));

function counts(series: readonly { total: number; success: number; failure: number }[]) {
  const requestCount = series.reduce((n, b) => n + b.total, 0);
  const successCount = series.reduce((n, b) => n + b.success, 0);
  const failureCount = series.reduce((n, b) => n + b.failure, 0);
  return {
    requestCount,
    successCount,
    failureCount,
    failureRate: requestCount === 0 ? 0 : failureCount / requestCount,
  };
}

/** A time column as JavaScript writes it (`toISOString`), made in Postgres for rows it sums up. */
export const isoTime = (column: PgColumn) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const bucketTime = isoTime(usageBuckets.bucketStart);
const summedCounts = {
  total: sql<number>`sum(${usageBuckets.total})::int8`.mapWith(Number),
  success: sql<number>`sum(${usageBuckets.success})::int8`.mapWith(Number),
  failure: sql<number>`sum(${usageBuckets.failure})::int8`.mapWith(Number),
};

/** A table's rows of the keys the filter selects, at the range's granularity and within it. */
const inRangeOf =
  (db: Tx, keys: SQL | undefined, range: UsageRange) =>
  <T extends typeof usageBuckets | typeof usageCodeCounts | typeof usageCountryCounts>(t: T) =>
    and(
      inArray(t.keyId, db.select({ id: apiKeys.id }).from(apiKeys).where(keys)),
      eq(t.granularity, range.granularity),
      gte(t.bucketStart, range.from),
      lt(t.bucketStart, range.to),
    );
const bucketsInRange = (db: Tx, keys: SQL | undefined, range: UsageRange) =>
  inRangeOf(db, keys, range)(usageBuckets);

/** Each key's counts over the range, summed in Postgres: a summary reads no series. */
function readKeyCounts(db: Tx, keys: SQL | undefined, range: UsageRange) {
  return db
    .select({
      keyId: usageBuckets.keyId,
      t: sql<string>`''`,
      ...summedCounts,
    })
    .from(usageBuckets)
    .where(bucketsInRange(db, keys, range))
    .groupBy(usageBuckets.keyId);
}

/** One report per key the filter selects, keys in creation order. */
async function readReports(
  db: Tx,
  keys: SQL | undefined,
  range: UsageRange,
  detail: ReportDetail = 'series',
): Promise<UsageReport[]> {
  const inRange = inRangeOf(db, keys, range);
  const [keyRows, buckets, codes, countries] = await Promise.all([
    db
      .select({ id: apiKeys.id, name: apiKeys.name, lastUsedAt: apiKeys.lastUsedAt })
      .from(apiKeys)
      .where(keys)
      .orderBy(apiKeys.createdAt, apiKeys.id),
    detail === 'summary'
      ? readKeyCounts(db, keys, range)
      : // One row past the bound says the range holds too much, without reading all of it.
        db
          .select({
            keyId: usageBuckets.keyId,
            t: bucketTime,
            total: usageBuckets.total,
            success: usageBuckets.success,
            failure: usageBuckets.failure,
          })
          .from(usageBuckets)
          .where(inRange(usageBuckets))
          .orderBy(usageBuckets.bucketStart)
          .limit(MAX_REPORT_BUCKETS + 1),
    db
      .select({
        keyId: usageCodeCounts.keyId,
        code: usageCodeCounts.code,
        count: sql<number>`sum(${usageCodeCounts.count})::int8`.mapWith(Number),
      })
      .from(usageCodeCounts)
      .where(inRange(usageCodeCounts))
      .groupBy(usageCodeCounts.keyId, usageCodeCounts.code),
    // A summary leaves countries to GET /api/countries: per key, they are the costliest rows to sum.
    detail === 'summary'
      ? []
      : db
          .select({
            keyId: usageCountryCounts.keyId,
            country: usageCountryCounts.country,
            count: sql<number>`sum(${usageCountryCounts.count})::int8`.mapWith(Number),
          })
          .from(usageCountryCounts)
          .where(inRange(usageCountryCounts))
          .groupBy(usageCountryCounts.keyId, usageCountryCounts.country),
  ]);
  if (buckets.length > MAX_REPORT_BUCKETS) throw new ReportTooLargeError(range);
  const reports = new Map<string, UsageReport>(
    keyRows.map((k) => [
      k.id,
      {
        keyId: k.id,
        name: k.name,
        ...counts([]),
        lastUsedAt: k.lastUsedAt,
        byCode: {},
        countries: [],
        series: [],
      },
    ]),
  );
  // Summaries: one row per key, its counts, and no series.
  for (const { keyId, ...point } of buckets) {
    const report = reports.get(keyId);
    if (!report) continue;
    if (detail === 'summary') Object.assign(report, counts([point]));
    else report.series.push(point);
  }
  for (const c of codes) {
    const report = reports.get(c.keyId);
    if (report) report.byCode[c.code] = c.count;
  }
  for (const c of countries) reports.get(c.keyId)?.countries.push({ country: c.country, count: c.count });
  for (const report of reports.values()) {
    if (detail === 'series') Object.assign(report, counts(report.series));
    sortCountries(report.countries);
  }
  return [...reports.values()];
}

/**
 * A report as CSV for spreadsheets: one row per key and bucket of the series, with the org's
 * totals as key `total` when there are several keys. Counts by code and country stay in the JSON.
 */
export function usageCsv(reports: readonly Pick<UsageReport, 'keyId' | 'series'>[]): string {
  const rows = ['key_id,bucket_start,total,success,failure,failure_rate'];
  for (const r of reports) {
    for (const p of r.series) {
      const rate = p.total === 0 ? 0 : p.failure / p.total;
      rows.push(
        [r.keyId, p.t, p.total, p.success, p.failure, Number(rate.toFixed(6))].map(csvField).join(','),
      );
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** RFC 4180 quoting, and no leading = + - @ that a spreadsheet would run as a formula. */
function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
