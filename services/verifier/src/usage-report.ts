import {
  apiKeys,
  type Db,
  isoTime,
  orgUsageBuckets,
  orgUsageCodeCounts,
  orgUsageCountryCounts,
  type Tx,
  usageBuckets,
  usageCodeCounts,
  usageCountryCounts,
} from '@keywatch/db';
import { BUCKET_MS, bucketStart, GRANULARITIES, type Granularity } from '@keywatch/rules';
import { and, desc, eq, gte, inArray, lt, max, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { ApiError, problems } from './http/errors.ts';

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((v) => new Date(v));
const MAX_POINTS = 10_000;
/** Buckets of usage one answer may hold over all its keys: a report is built in the verifier's memory. */
const MAX_REPORT_BUCKETS = 200_000;

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

/** The most keys `top` may ask for: a page of the dashboard, not a listing (that is without `top`). */
export const MAX_TOP_KEYS = 100;

/** The org's report also takes how much it holds per key, and of which keys. */
export const orgUsageQuery = rangeQuery({
  granularity,
  detail: z
    .enum(['series', 'summary'])
    .default('series')
    .describe(
      '`summary`: each key’s counts without its series or countries (the totals keep theirs), for views of many keys',
    ),
  top: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_TOP_KEYS)
    .optional()
    .describe(
      `Only the N keys with the most verifications in the range, most first (at most ${MAX_TOP_KEYS}; 0: the totals alone); without it, every key, oldest first`,
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
  const points = Math.ceil((to.getTime() - from.getTime()) / BUCKET_MS[query.granularity]);
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

/** Every key of an org over a range (or its most used), and the org's totals (`keyId` is null there). */
export interface OrgUsageReport {
  orgId: string;
  from: string;
  to: string;
  granularity: Granularity;
  totals: Omit<UsageReport, 'keyId' | 'name'> & { keyId: null; activeKeys: number };
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

/** Which keys an org report holds: every key (oldest first), or the `top` most used (most first). */
export interface ReportKeys {
  detail?: ReportDetail;
  top?: number | undefined;
}

/**
 * The org's totals, from its rollups (some rows per bucket, however many keys it has), and its
 * keys' reports, all in one snapshot.
 */
export function orgUsageReport(
  db: Db,
  orgId: string,
  range: UsageRange,
  { detail = 'series', top }: ReportKeys = {},
): Promise<OrgUsageReport> {
  return db.transaction(async (tx) => {
    const ofOrg = eq(apiKeys.orgId, orgId);
    const [totals, [lastUse]] = await Promise.all([
      readOrgTotals(tx, orgId, range),
      tx
        .select({ at: max(apiKeys.lastUsedAt) })
        .from(apiKeys)
        .where(ofOrg),
    ]);
    let keys: UsageReport[];
    let activeKeys: number;
    if (top === undefined) {
      keys = await readReports(tx, ofOrg, range, detail);
      activeKeys = keys.filter((k) => k.requestCount > 0).length;
    } else {
      const used = await readMostUsed(tx, ofOrg, range, top);
      const rank = new Map(used.top.map((id, i) => [id, i]));
      keys =
        used.top.length === 0
          ? []
          : (await readReports(tx, inArray(apiKeys.id, used.top), range, detail)).sort(
              (a, b) => rank.get(a.keyId)! - rank.get(b.keyId)!,
            );
      activeKeys = used.count;
    }
    return {
      orgId,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      granularity: range.granularity,
      totals: { ...totals, lastUsedAt: lastUse?.at ?? null, keyId: null, activeKeys },
      keys,
    };
  }, readOnlySnapshot);
}

/** A usage table's rows of one owner (the filter) at the range's granularity and within it. */
const inBuckets = (
  t: { granularity: PgColumn; bucketStart: PgColumn },
  owner: SQL | undefined,
  range: UsageRange,
) =>
  and(
    owner,
    eq(t.granularity, range.granularity),
    gte(t.bucketStart, range.from),
    lt(t.bucketStart, range.to),
  );

/** An org rollup's rows within the range (every shard: a reader sums them). */
const orgRowsInRange = (
  t: typeof orgUsageBuckets | typeof orgUsageCodeCounts | typeof orgUsageCountryCounts,
  orgId: string,
  range: UsageRange,
) => inBuckets(t, eq(t.orgId, orgId), range);

/** The org's series and counts by code and by country over the range, from its rollups. */
async function readOrgTotals(db: Tx, orgId: string, range: UsageRange) {
  const [series, codes, countries] = await Promise.all([
    db
      .select({
        t: isoTime(orgUsageBuckets.bucketStart),
        total: summed(orgUsageBuckets.total),
        success: summed(orgUsageBuckets.success),
        failure: summed(orgUsageBuckets.failure),
      })
      .from(orgUsageBuckets)
      .where(orgRowsInRange(orgUsageBuckets, orgId, range))
      .groupBy(orgUsageBuckets.bucketStart)
      .orderBy(orgUsageBuckets.bucketStart),
    db
      .select({ code: orgUsageCodeCounts.code, count: summed(orgUsageCodeCounts.count) })
      .from(orgUsageCodeCounts)
      .where(orgRowsInRange(orgUsageCodeCounts, orgId, range))
      .groupBy(orgUsageCodeCounts.code),
    countryCounts(db, { orgId }, range),
  ]);
  return {
    ...counts(series),
    byCode: Object.fromEntries(codes.map((c) => [c.code, c.count])),
    countries: sortCountries(countries),
    series,
  };
}

/** Counts by client country over the range: one key's, or a whole org's (from its rollup). */
export function countryCounts(
  db: Db | Tx,
  of: { keyId: string } | { orgId: string },
  range: UsageRange,
): Promise<{ country: string; count: number }[]> {
  if ('orgId' in of) {
    return db
      .select({ country: orgUsageCountryCounts.country, count: summed(orgUsageCountryCounts.count) })
      .from(orgUsageCountryCounts)
      .where(orgRowsInRange(orgUsageCountryCounts, of.orgId, range))
      .groupBy(orgUsageCountryCounts.country);
  }
  return db
    .select({ country: usageCountryCounts.country, count: summed(usageCountryCounts.count) })
    .from(usageCountryCounts)
    .where(inBuckets(usageCountryCounts, eq(usageCountryCounts.keyId, of.keyId), range))
    .groupBy(usageCountryCounts.country);
}

/** How many of the keys were used in the range, and the `top` most used of them (most first). */
async function readMostUsed(db: Tx, keys: SQL, range: UsageRange, top: number) {
  const used = db
    .select({ keyId: usageBuckets.keyId, total: summedCounts.total.as('total') })
    .from(usageBuckets)
    .where(bucketsInRange(db, keys, range))
    .groupBy(usageBuckets.keyId)
    .having(sql`sum(${usageBuckets.total}) > 0`)
    .as('used');
  const rows = await db
    .select({ keyId: used.keyId, count: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(used)
    .orderBy(desc(used.total), used.keyId)
    .limit(Math.max(top, 1));
  return { count: rows[0]?.count ?? 0, top: rows.slice(0, top).map((r) => r.keyId) };
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

const bucketTime = isoTime(usageBuckets.bucketStart);
const summed = (column: PgColumn) => sql<number>`sum(${column})::int8`.mapWith(Number);
const summedCounts = {
  total: summed(usageBuckets.total),
  success: summed(usageBuckets.success),
  failure: summed(usageBuckets.failure),
};

/** A table's rows of the keys the filter selects, at the range's granularity and within it. */
const inRangeOf =
  (db: Tx, keys: SQL | undefined, range: UsageRange) =>
  <T extends typeof usageBuckets | typeof usageCodeCounts | typeof usageCountryCounts>(t: T) =>
    inBuckets(t, inArray(t.keyId, db.select({ id: apiKeys.id }).from(apiKeys).where(keys)), range);
const bucketsInRange = (db: Tx, keys: SQL | undefined, range: UsageRange) =>
  inRangeOf(db, keys, range)(usageBuckets);

/** Each key's counts over the range, summed in Postgres: a summary reads no series. */
function readKeyCounts(db: Tx, keys: SQL | undefined, range: UsageRange) {
  return db
    .select({ keyId: usageBuckets.keyId, ...summedCounts })
    .from(usageBuckets)
    .where(bucketsInRange(db, keys, range))
    .groupBy(usageBuckets.keyId);
}

/** Each key's series over the range; one row past the bound says the range holds too much. */
function readKeySeries(db: Tx, keys: SQL | undefined, range: UsageRange) {
  return db
    .select({
      keyId: usageBuckets.keyId,
      t: bucketTime,
      total: usageBuckets.total,
      success: usageBuckets.success,
      failure: usageBuckets.failure,
    })
    .from(usageBuckets)
    .where(bucketsInRange(db, keys, range))
    .orderBy(usageBuckets.bucketStart)
    .limit(MAX_REPORT_BUCKETS + 1);
}

/** One report per key the filter selects, keys in creation order. */
async function readReports(
  db: Tx,
  keys: SQL | undefined,
  range: UsageRange,
  detail: ReportDetail = 'series',
): Promise<UsageReport[]> {
  const inRange = inRangeOf(db, keys, range);
  const summary = detail === 'summary';
  const [keyRows, series, sums, codes, countries] = await Promise.all([
    db
      .select({ id: apiKeys.id, name: apiKeys.name, lastUsedAt: apiKeys.lastUsedAt })
      .from(apiKeys)
      .where(keys)
      .orderBy(apiKeys.createdAt, apiKeys.id),
    summary ? [] : readKeySeries(db, keys, range),
    summary ? readKeyCounts(db, keys, range) : [],
    db
      .select({
        keyId: usageCodeCounts.keyId,
        code: usageCodeCounts.code,
        count: summed(usageCodeCounts.count),
      })
      .from(usageCodeCounts)
      .where(inRange(usageCodeCounts))
      .groupBy(usageCodeCounts.keyId, usageCodeCounts.code),
    // A summary leaves countries to GET /api/countries: per key, they are the costliest rows to sum.
    summary
      ? []
      : db
          .select({
            keyId: usageCountryCounts.keyId,
            country: usageCountryCounts.country,
            count: summed(usageCountryCounts.count),
          })
          .from(usageCountryCounts)
          .where(inRange(usageCountryCounts))
          .groupBy(usageCountryCounts.keyId, usageCountryCounts.country),
  ]);
  if (series.length > MAX_REPORT_BUCKETS) throw new ReportTooLargeError(range);
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
  for (const { keyId, ...point } of series) reports.get(keyId)?.series.push(point);
  for (const { keyId, ...sum } of sums) {
    const report = reports.get(keyId);
    if (report) Object.assign(report, counts([sum]));
  }
  for (const c of codes) {
    const report = reports.get(c.keyId);
    if (report) report.byCode[c.code] = c.count;
  }
  for (const c of countries) reports.get(c.keyId)?.countries.push({ country: c.country, count: c.count });
  for (const report of reports.values()) {
    if (!summary) Object.assign(report, counts(report.series));
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
