import { ensureOrg, keyHourlyIps, keylessFailures, usageBuckets } from '@keywatch/db';
import { TOPICS } from '@keywatch/events';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { authEventFixture, createTestContext, type TestContext } from '@keywatch/testkit';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneExpired } from '../../src/retention.ts';
import { applyBatch } from '../../src/store.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext('retention');
});
afterAll(() => ctx?.close());

const now = new Date('2026-11-22T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

async function keyWithEventsAt(times: Date[]) {
  const org = await ensureOrg(ctx.database.db, 'retention-org');
  const { key } = await issueKey(
    ctx.database.db,
    org.id,
    newKeySchema.parse({ name: 'old', scopes: ['chat'] }),
  );
  const events = times.flatMap((at) => [
    authEventFixture({ keyId: key.id, at }),
    authEventFixture({ keyId: null, code: 'INVALID_API_KEY', at, ip: `203.0.113.${times.indexOf(at)}` }),
  ]);
  const at = { groupId: `retention-${key.id}`, topic: TOPICS.authEvents, partition: 0 };
  await applyBatch(
    ctx.database.db,
    at,
    BigInt(events.length),
    events.map((event, i) => ({ offset: BigInt(i), event })),
  );
  return key.id;
}

const bucketsOf = async (keyId: string, granularity: 'minute' | 'hour' | 'day') =>
  (
    await ctx.database.db
      .select({ start: usageBuckets.bucketStart })
      .from(usageBuckets)
      .where(and(eq(usageBuckets.keyId, keyId), eq(usageBuckets.granularity, granularity)))
      .orderBy(usageBuckets.bucketStart)
  ).map((b) => b.start.toISOString());

describe('pruneExpired', () => {
  it('drops minute buckets after 48 h, hours after 90 days, days after 2 years; keeps the rest', async () => {
    const keyId = await keyWithEventsAt([hoursAgo(1), hoursAgo(49), hoursAgo(24 * 91), hoursAgo(24 * 731)]);
    expect(await bucketsOf(keyId, 'minute')).toHaveLength(4);

    const deleted = await pruneExpired(ctx.database.db, now, ctx.config);

    expect(await bucketsOf(keyId, 'minute')).toEqual(['2026-11-22T11:00:00.000Z']);
    expect(await bucketsOf(keyId, 'hour')).toEqual(['2026-11-20T11:00:00.000Z', '2026-11-22T11:00:00.000Z']);
    expect(await bucketsOf(keyId, 'day')).toEqual([
      '2026-08-23T00:00:00.000Z',
      '2026-11-20T00:00:00.000Z',
      '2026-11-22T00:00:00.000Z',
    ]);
    expect(deleted['usage_buckets (minute)']).toBe(3);
    expect(deleted['usage_code_counts (minute)']).toBe(3);
    // Distinct IPs per hour are kept 8 days; keyless failures 48 hours.
    const ipHours = await ctx.database.db.select().from(keyHourlyIps).where(eq(keyHourlyIps.keyId, keyId));
    expect(ipHours.map((h) => h.hourStart.toISOString()).sort()).toEqual([
      '2026-11-20T11:00:00.000Z',
      '2026-11-22T11:00:00.000Z',
    ]);
    const keyless = await ctx.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(keylessFailures)
      .where(sql`${keylessFailures.bucketStart} < ${hoursAgo(48).toISOString()}::timestamptz`);
    expect(keyless[0]!.n).toBe(0);
  });

  it('deletes in short chunks and is not held up by a writer busy with recent buckets', async () => {
    const times = Array.from({ length: 30 }, (_, i) => hoursAgo(50 + i));
    const keyId = await keyWithEventsAt([hoursAgo(1), ...times]);
    const writer = await ctx.database.sql.reserve();
    try {
      // A batch being applied: it holds the row of the current minute bucket.
      await writer`begin`;
      await writer`update usage_buckets set total = total + 1
        where key_id = ${keyId} and granularity = 'minute' and bucket_start = ${hoursAgo(1).toISOString()}`;
      const deleted = await pruneExpired(ctx.database.db, now, ctx.config, 7);
      expect(deleted['usage_buckets (minute)']).toBe(30);
      await writer`commit`;
    } finally {
      writer.release();
    }
    expect(await bucketsOf(keyId, 'minute')).toEqual(['2026-11-22T11:00:00.000Z']);
  });
});
