import { consumerOffsets, type Db, ensureOrg, keylessFailures, usageBuckets } from '@keywatch/db';
import { TOPICS } from '@keywatch/events';
import { freePort } from '@keywatch/infra';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { eq, like, sql } from 'drizzle-orm';
import type { Kafka } from 'kafkajs';
import type { TestContext } from './context.ts';
import type { StreamTotals } from './event-stream.ts';
import { startService } from './process.ts';

// The aggregator as its tests and benchmarks see it: keys to stream for, the process, and what it
// has applied and counted.

/** `count` keys of one org, for a stream's events to name. */
export async function issueKeys(db: Db, count: number): Promise<string[]> {
  const org = await ensureOrg(db, 'stream-org');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(
      (await issueKey(db, org.id, newKeySchema.parse({ name: `stream-${i}`, scopes: ['chat'] }))).key.id,
    );
  }
  return ids;
}

/** The offsets Postgres says the group applied, summed over partitions. */
export async function appliedOffsets(db: Db, groupId: string): Promise<number> {
  const [row] = await db
    .select({ next: sql<number>`coalesce(sum(${consumerOffsets.nextOffset}), 0)::int8`.mapWith(Number) })
    .from(consumerOffsets)
    .where(eq(consumerOffsets.groupId, groupId));
  return row!.next;
}

/** The topic's end offsets summed: every message any test of this run produced so far. */
export async function topicEnd(kafka: Kafka): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(TOPICS.authEvents);
    return offsets.reduce((n, p) => n + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** What Postgres holds for a stream's keys (per key, at each granularity) and its keyless events. */
export async function countedFor(db: Db, totals: StreamTotals) {
  const rows = await db
    .select({
      keyId: usageBuckets.keyId,
      granularity: usageBuckets.granularity,
      total: sql<number>`sum(${usageBuckets.total})::int8`.mapWith(Number),
      failure: sql<number>`sum(${usageBuckets.failure})::int8`.mapWith(Number),
    })
    .from(usageBuckets)
    .where(sql`${usageBuckets.keyId} in ${[...totals.byKey.keys()]}`)
    .groupBy(usageBuckets.keyId, usageBuckets.granularity);
  const [keyless] = await db
    .select({ total: sql<number>`coalesce(sum(${keylessFailures.count}), 0)::int8`.mapWith(Number) })
    .from(keylessFailures)
    .where(like(keylessFailures.ip, `${totals.keylessIpPrefix}%`));
  const byGranularity = (granularity: string) =>
    new Map(
      rows
        .filter((r) => r.granularity === granularity)
        .map((r) => [r.keyId, { total: r.total, failure: r.failure }]),
    );
  return {
    minute: byGranularity('minute'),
    hour: byGranularity('hour'),
    day: byGranularity('day'),
    keyless: keyless!.total,
  };
}

/** An aggregator process on the test's database and group, on a free ops port. */
export async function startAggregator(ctx: TestContext) {
  const port = await freePort();
  return startService('aggregator', { ...ctx.env, AGGREGATOR_PORT: String(port) }, port);
}
