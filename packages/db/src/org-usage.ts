import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';

/**
 * Sets an org's rollups (org_usage_*) to the sum of its keys' usage rows, in shard 0: for usage
 * written straight into the per-key tables (test fixtures, imports), and to repair. The aggregator
 * keeps both in step as it applies events; migration 0012 did the same for usage counted before.
 */
export async function rebuildOrgUsage(db: Db, orgId: string): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [rollup, perKey, label] of [
      ['org_usage_buckets', 'usage_buckets', null],
      ['org_usage_code_counts', 'usage_code_counts', 'code'],
      ['org_usage_country_counts', 'usage_country_counts', 'country'],
    ] as const) {
      const table = sql.identifier(rollup);
      const labels = label ? sql.raw(`, "${label}"`) : sql``;
      const counts = label ? sql.raw('"count"') : sql.raw('"total", "success", "failure"');
      const sums = label
        ? sql.raw('sum(u."count")')
        : sql.raw('sum(u."total"), sum(u."success"), sum(u."failure")');
      const grouped = label ? sql.raw(`, u."${label}"`) : sql``;
      await tx.execute(sql`delete from ${table} where org_id = ${orgId}::uuid`);
      await tx.execute(sql`
        insert into ${table} ("org_id", "granularity", "bucket_start", "shard"${labels}, ${counts})
        select k."org_id", u."granularity", u."bucket_start", 0${grouped}, ${sums}
        from ${sql.identifier(perKey)} u join "api_keys" k on k."id" = u."key_id"
        where k."org_id" = ${orgId}::uuid
        group by k."org_id", u."granularity", u."bucket_start"${grouped}`);
    }
  });
}
