import type { Db } from '@keywatch/db';
import { sql } from 'drizzle-orm';

const DAY_MS = 86_400_000;

/**
 * Inserts `count` keys of one org in a single statement (a million in seconds): every `dueEvery`-th
 * is `dueAgeDays` old at `asOf`, the others 10 days old. Their secrets are never known: the hashes
 * are of nothing, so they are for the rotation scan, not for verification.
 */
export async function insertBulkKeys(
  db: Db,
  options: { orgId: string; count: number; asOf: Date; dueEvery: number; dueAgeDays?: number },
): Promise<void> {
  const { orgId, count, asOf, dueEvery, dueAgeDays = 100 } = options;
  const dueAt = new Date(asOf.getTime() - dueAgeDays * DAY_MS).toISOString();
  const freshAt = new Date(asOf.getTime() - 10 * DAY_MS).toISOString();
  await db.execute(sql`
    insert into api_keys (org_id, name, type, hash, prefix, scopes, created_at)
    select ${orgId}::uuid, 'bulk-' || i, 'organization',
           encode(sha256((${orgId} || ':' || i)::bytea), 'hex'),
           'sk_live_' || substr(md5(i::text), 1, 4),
           array['chat'],
           -- a second apart, so that "oldest first" has one answer
           (case when i % ${dueEvery} = 0 then ${dueAt}::timestamptz else ${freshAt}::timestamptz end)
             - i * interval '1 second'
    from generate_series(1, ${count}) as i`);
}
