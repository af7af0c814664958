import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db, Tx } from './client.ts';
import {
  apiKeys,
  orgUsageBuckets,
  orgUsageCodeCounts,
  orgUsageCountryCounts,
  usageBuckets,
  usageCodeCounts,
  usageCountryCounts,
} from './schema.ts';

/**
 * Sets an org's rollups (org_usage_*) to the sum of its keys' usage rows, in shard 0: for usage
 * written straight into the per-key tables (test fixtures, imports), and to repair. The aggregator
 * keeps both in step as it applies events; migration 0012 did the same for usage counted before.
 */
export async function rebuildOrgUsage(db: Db, orgId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await rebuildRollup(tx, orgId, orgUsageBuckets, usageBuckets, [], ['total', 'success', 'failure']);
    await rebuildRollup(tx, orgId, orgUsageCodeCounts, usageCodeCounts, ['code'], ['count']);
    await rebuildRollup(tx, orgId, orgUsageCountryCounts, usageCountryCounts, ['country'], ['count']);
  });
}

type Rollup = typeof orgUsageBuckets | typeof orgUsageCodeCounts | typeof orgUsageCountryCounts;
type PerKey = typeof usageBuckets | typeof usageCodeCounts | typeof usageCountryCounts;
/** The columns a rollup and its per-key table both have. */
type Shared<R extends PgTable, P extends PgTable> = keyof R['_']['columns'] &
  keyof P['_']['columns'] &
  string;

/**
 * Replaces the org's rows of one rollup by its keys' rows of the per-key table, grouped by bucket
 * and `labels` (the columns copied as they are), with `counts` summed.
 */
async function rebuildRollup<R extends Rollup, P extends PerKey>(
  tx: Tx,
  orgId: string,
  rollup: R,
  perKey: P,
  labels: Shared<R, P>[],
  counts: Shared<R, P>[],
): Promise<void> {
  const rolled = getTableColumns(rollup) as Record<string, PgColumn>;
  const read = getTableColumns(perKey) as Record<string, PgColumn>;
  const bareNames = (columns: PgColumn[]) =>
    sql.join(
      columns.map((c) => sql.identifier(c.name)),
      sql`, `,
    );
  const list = (items: (PgColumn | SQL)[]) => sql.join(items, sql`, `);
  const labelled = labels.map((k) => read[k]!);
  await tx.execute(sql`delete from ${rollup} where ${rollup.orgId} = ${orgId}::uuid`);
  await tx.execute(sql`
    insert into ${rollup} (${bareNames([
      rollup.orgId,
      rollup.granularity,
      rollup.bucketStart,
      rollup.shard,
      ...labels.map((k) => rolled[k]!),
      ...counts.map((k) => rolled[k]!),
    ])})
    select ${list([
      apiKeys.orgId,
      perKey.granularity,
      perKey.bucketStart,
      sql`0`,
      ...labelled,
      ...counts.map((k) => sql`sum(${read[k]!})`),
    ])}
    from ${perKey} join ${apiKeys} on ${apiKeys.id} = ${perKey.keyId}
    where ${apiKeys.orgId} = ${orgId}::uuid
    group by ${list([apiKeys.orgId, perKey.granularity, perKey.bucketStart, ...labelled])}`);
}
