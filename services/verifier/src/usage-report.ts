import {
  apiKeys,
  type Db,
  type Granularity,
  type Tx,
  GRANULARITIES,
  usageBuckets,
  usageCodeCounts,
  usageCountryCounts,
} from '@keywatch/db';
import { bucketStart } from '@keywatch/rules';
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { z } from 'zod';

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((v) => new Date(v));
const MAX_POINTS = 10_000;
const SIZE_MS: Record<Granularity, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export const usageQuery = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    granularity: z.enum(GRANULARITIES).default('day'),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { path: ['from'], message: 'must be before to' });

export interface UsageRange {
  from: Date;
  to: Date;
  granularity: Granularity;
}

/** Resolves defaults (from the key's creation to now) and refuses series too long to answer. */
export function resolveRange(
  query: z.output<typeof usageQuery>,
  createdAt: Date,
  now: Date,
): UsageRange | { problem: string } {
  const to = query.to ?? now;
  const from = bucketStart(query.granularity, query.from ?? createdAt);
  const points = Math.ceil((to.getTime() - from.getTime()) / SIZE_MS[query.granularity]);
  if (points > MAX_POINTS) {
    return {
      problem: `granularity: ${query.granularity} over this range gives ${points} points; at most ${MAX_POINTS}`,
    };
  }
  return { from, to, granularity: query.granularity };
}

export interface UsageReport {
  keyId: string;
  requestCount: number;
  successCount: number;
  failureCount: number;
  failureRate: number;
  lastUsedAt: Date | null;
  byCode: Record<string, number>;
  countries: { country: string; count: number }[];
  series: { t: string; total: number; success: number; failure: number }[];
}

/**
 * One key's usage over a range, from the aggregator's buckets, read in one snapshot: counts and
 * last use always agree, even while a batch commits.
 */
export function usageReport(db: Db, keyId: string, range: UsageRange): Promise<UsageReport> {
  return db.transaction((tx) => readReport(tx, keyId, range), {
    isolationLevel: 'repeatable read',
    accessMode: 'read only',
  });
}

async function readReport(db: Tx, keyId: string, range: UsageRange): Promise<UsageReport> {
  const inRange = <T extends typeof usageBuckets | typeof usageCodeCounts | typeof usageCountryCounts>(
    t: T,
  ) =>
    and(
      eq(t.keyId, keyId),
      eq(t.granularity, range.granularity),
      gte(t.bucketStart, range.from),
      lt(t.bucketStart, range.to),
    );
  const [series, codes, countries, [key]] = await Promise.all([
    db.select().from(usageBuckets).where(inRange(usageBuckets)).orderBy(usageBuckets.bucketStart),
    db
      .select({
        code: usageCodeCounts.code,
        count: sql<number>`sum(${usageCodeCounts.count})::int8`.mapWith(Number),
      })
      .from(usageCodeCounts)
      .where(inRange(usageCodeCounts))
      .groupBy(usageCodeCounts.code),
    db
      .select({
        country: usageCountryCounts.country,
        count: sql<number>`sum(${usageCountryCounts.count})::int8`.mapWith(Number),
      })
      .from(usageCountryCounts)
      .where(inRange(usageCountryCounts))
      .groupBy(usageCountryCounts.country)
      .orderBy(desc(sql`2`), usageCountryCounts.country),
    db.select({ lastUsedAt: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, keyId)),
  ]);
  const requestCount = series.reduce((n, b) => n + b.total, 0);
  const successCount = series.reduce((n, b) => n + b.success, 0);
  const failureCount = series.reduce((n, b) => n + b.failure, 0);
  return {
    keyId,
    requestCount,
    successCount,
    failureCount,
    failureRate: requestCount === 0 ? 0 : failureCount / requestCount,
    lastUsedAt: key?.lastUsedAt ?? null,
    byCode: Object.fromEntries(codes.map((c) => [c.code, c.count])),
    countries,
    series: series.map((b) => ({
      t: b.bucketStart.toISOString(),
      total: b.total,
      success: b.success,
      failure: b.failure,
    })),
  };
}
