import {
  apiKeys,
  connect,
  type Database,
  type Db,
  ensureOrg,
  keyCountries,
  keyHourlyIps,
  keylessFailures,
  rebuildOrgUsage,
  usageBuckets,
  usageCodeCounts,
} from '@keywatch/db';
import { type AuthEvent, createKafka, encodeAuthEvent, messageKeyOf, TOPICS } from '@keywatch/events';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { createLogger } from '@keywatch/log';
import { createMetrics } from '@keywatch/runtime';
import { authEventFixture, createTestContext, type TestContext, waitFor } from '@keywatch/testkit';
import { and, eq, sql } from 'drizzle-orm';
import type { Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Aggregator, createAggregator } from '../../src/consumer.ts';
import { applyBatch } from '../../src/store.ts';

let ctx: TestContext;
let kafka: Kafka;
let producer: Producer;
const touched = new Set<string>();
const unknownKeySources = new Set<string>();

beforeAll(async () => {
  ctx = await createTestContext('aggregator');
  kafka = createKafka({ brokers: ctx.config.KAFKA_BROKERS, clientId: 'aggregator-test' });
  producer = kafka.producer();
  await producer.connect();
});
afterAll(async () => {
  await producer?.disconnect();
  await ctx?.close();
});

const start = async (db: Db = ctx.database.db): Promise<Aggregator> => {
  const aggregator = createAggregator({
    kafka,
    db,
    groupId: ctx.config.KAFKA_GROUP_ID,
    log: createLogger({ service: 'aggregator-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    metrics: createMetrics('aggregator'),
    onCountsChanged: async (ids) => {
      for (const id of ids) touched.add(id);
    },
    onUnknownKeys: async (ips) => {
      for (const ip of ips) unknownKeySources.add(ip);
    },
  });
  await aggregator.start();
  return aggregator;
};

/** Rewinds the group's Kafka offsets to the beginning, as if Kafka's commits had been lost. */
async function rewindKafkaCommits() {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.resetOffsets({
      groupId: ctx.config.KAFKA_GROUP_ID,
      topic: TOPICS.authEvents,
      earliest: true,
    });
  } finally {
    await admin.disconnect();
  }
}

async function newKey(name: string) {
  const org = await ensureOrg(ctx.database.db, 'agg-org');
  return (await issueKey(ctx.database.db, org.id, newKeySchema.parse({ name, scopes: ['chat'] }))).key;
}

const eventFor = (keyId: string, code: AuthEvent['code'] = 'VALID') => authEventFixture({ keyId, code });

const send = (events: AuthEvent[]) =>
  producer.send({
    topic: TOPICS.authEvents,
    messages: events.map((e) => ({ key: messageKeyOf(e), value: encodeAuthEvent(e) })),
  });

async function dayTotals(keyId: string) {
  const [row] = await ctx.database.db
    .select({
      total: sql<number>`coalesce(sum(total),0)::int`,
      failure: sql<number>`coalesce(sum(failure),0)::int`,
    })
    .from(usageBuckets)
    .where(and(eq(usageBuckets.keyId, keyId), eq(usageBuckets.granularity, 'day')));
  return row!;
}

describe('aggregator', () => {
  it('counts events per key exactly, with codes, and asks for evaluation of the keys and unknown-key sources it saw', async () => {
    const key = await newKey('exact');
    const aggregator = await start();
    try {
      const unknownKey = (ip: string, code: AuthEvent['code']) =>
        authEventFixture({ keyId: null, code, ip, country: null });
      await send([
        ...Array.from({ length: 40 }, () => eventFor(key.id)),
        ...Array.from({ length: 7 }, () => eventFor(key.id, 'EXPIRED')),
        unknownKey('198.51.100.77', 'INVALID_API_KEY'),
        unknownKey('198.51.100.78', 'MISSING_AUTH_HEADER'),
      ]);
      await waitFor('47 events counted', async () => (await dayTotals(key.id)).total === 47);
      expect(await dayTotals(key.id)).toEqual({ total: 47, failure: 7 });
      const codes = await ctx.database.db
        .select({ code: usageCodeCounts.code, count: usageCodeCounts.count })
        .from(usageCodeCounts)
        .where(and(eq(usageCodeCounts.keyId, key.id), eq(usageCodeCounts.granularity, 'hour')));
      expect(Object.fromEntries(codes.map((c) => [c.code, c.count]))).toEqual({ VALID: 40, EXPIRED: 7 });
      await waitFor('evaluation requested', () => touched.has(key.id));
      // An unknown key asks for a credential-stuffing check of its source; a missing header does not.
      await waitFor('source check requested', () => unknownKeySources.has('198.51.100.77'));
      expect(unknownKeySources.has('198.51.100.78')).toBe(false);
    } finally {
      await aggregator.stop();
    }
  });

  it('sends undecodable and schema-invalid messages to the DLQ once, with the reason, and goes on', async () => {
    const key = await newKey('poison');
    let aggregator = await start();
    const dlqReader = kafka.consumer({
      groupId: `${ctx.config.KAFKA_GROUP_ID}-dlq-reader`,
      maxWaitTimeInMs: 100,
    });
    const dead: { reason: string; value: string }[] = [];
    let ownPool: Database | undefined;
    try {
      await dlqReader.connect();
      await dlqReader.subscribe({ topic: TOPICS.authEventsDlq, fromBeginning: true });
      await dlqReader.run({
        eachMessage: async ({ message }) => {
          dead.push({ reason: String(message.headers?.reason), value: String(message.value) });
        },
      });
      const garbage = `garbage-${key.id}`;
      const invalid = JSON.stringify({ ...eventFor(key.id), code: 'NOT_A_CODE', marker: key.id });
      await producer.send({
        topic: TOPICS.authEvents,
        messages: [
          { key: key.id, value: encodeAuthEvent(eventFor(key.id)) },
          { key: key.id, value: Buffer.from(garbage) },
          { key: key.id, value: Buffer.from(invalid) },
          { key: key.id, value: encodeAuthEvent(eventFor(key.id)) },
        ],
      });
      await waitFor('good events counted', async () => (await dayTotals(key.id)).total === 2);
      const mineDead = () => dead.filter((d) => d.value.includes(key.id));
      const mine = await waitFor('two dead letters', () => mineDead().length === 2 && mineDead());
      expect(mine.find((d) => d.value === garbage)?.reason).toMatch(/^not JSON/);
      expect(mine.find((d) => d.value === invalid)?.reason).toMatch(/^not an AuthEvent: code/);
      expect(aggregator.healthy()).toBe(true);

      // Kafka delivers the batch again: its commits are rewound, and the restart's seek to the
      // offsets in Postgres is held back by a table lock until the batch is being handled.
      await aggregator.stop();
      await rewindKafkaCommits();
      // Its own pool, so the batches and the seek waiting on the lock can all reach Postgres.
      ownPool = connect(ctx.env.DATABASE_URL!, { max: 10 });
      await ctx.database.sql.begin(async (tx) => {
        await tx`lock table consumer_offsets in access exclusive mode`;
        aggregator = await start(ownPool!.db);
        // Two readers of the stored offset wait: the seek, and a redelivered batch's dead letters.
        await waitFor('the seek and a redelivered batch waiting on the offsets', async () => {
          // A transaction sees one snapshot of pg_stat_activity unless it clears it.
          await tx`select pg_stat_clear_snapshot()`;
          const [row] = await tx<{ waiting: number }[]>`
              select count(*)::int as waiting from pg_stat_activity
              where wait_event_type = 'Lock' and query like 'select "next_offset" from "consumer_offsets"%'`;
          return row!.waiting >= 2 || mineDead().length > 2; // the latter: the bug this test is for
        });
      });
      // A marker in the poison's partition proves the batch was read again; a sentinel at the end
      // of the one-partition DLQ proves the reader has seen every dead letter sent before it.
      const marker = await newKey('poison-marker');
      await producer.send({
        topic: TOPICS.authEvents,
        messages: [{ key: key.id, value: encodeAuthEvent(eventFor(marker.id)) }],
      });
      await waitFor('the marker counted', async () => (await dayTotals(marker.id)).total === 1);
      const sentinel = `sentinel-${key.id}`;
      await producer.send({ topic: TOPICS.authEventsDlq, messages: [{ value: sentinel }] });
      await waitFor('the sentinel read', () => dead.some((d) => d.value === sentinel));
      expect(mineDead().filter((d) => d.value !== sentinel)).toHaveLength(2);
    } finally {
      await dlqReader.disconnect();
      await aggregator.stop();
      await ownPool?.close();
    }
  });

  it('never counts twice when Kafka redelivers from the start: Postgres offsets decide', async () => {
    const key = await newKey('redelivery');
    let aggregator = await start();
    await send(Array.from({ length: 25 }, () => eventFor(key.id)));
    await waitFor('25 counted', async () => (await dayTotals(key.id)).total === 25);
    await aggregator.stop();

    await rewindKafkaCommits();

    aggregator = await start();
    try {
      await send(Array.from({ length: 5 }, () => eventFor(key.id)));
      await waitFor('the 5 new ones counted', async () => (await dayTotals(key.id)).total >= 30);
      // A marker sent last in the same partition proves the redelivered backlog was passed over.
      const marker = await newKey('marker');
      await send([eventFor(marker.id)].map((e) => ({ ...e, keyId: marker.id })));
      await producer.send({
        topic: TOPICS.authEvents,
        messages: [{ key: key.id, value: encodeAuthEvent({ ...eventFor(marker.id) }) }],
      });
      await waitFor('marker counted', async () => (await dayTotals(marker.id)).total === 2);
      expect((await dayTotals(key.id)).total).toBe(30);
    } finally {
      await aggregator.stop();
    }
  });
});

describe('applyBatch', () => {
  it("applies a partition's first batch once when two members race for it", async () => {
    const key = await newKey('race');
    const at = { groupId: 'race-group', topic: TOPICS.authEvents, partition: 3 };
    const batch = Array.from({ length: 10 }, (_, i) => ({ offset: BigInt(i), event: eventFor(key.id) }));
    const results = await Promise.all([
      applyBatch(ctx.database.db, at, 10n, batch),
      applyBatch(ctx.database.db, at, 10n, batch),
    ]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await dayTotals(key.id)).toEqual({ total: 10, failure: 0 });
  });

  it('skips the already-applied part of an overlapping batch', async () => {
    const key = await newKey('overlap');
    const at = { groupId: 'overlap-group', topic: TOPICS.authEvents, partition: 0 };
    const events = Array.from({ length: 8 }, (_, i) => ({ offset: BigInt(i), event: eventFor(key.id) }));
    await applyBatch(ctx.database.db, at, 5n, events.slice(0, 5));
    const second = await applyBatch(ctx.database.db, at, 8n, events.slice(3));
    expect(second).toMatchObject({ redelivered: 2, replays: 0 });
    expect(await dayTotals(key.id)).toEqual({ total: 8, failure: 0 });
  });

  it('drops events a producer sent again at new offsets (a resent batch or a spool replay)', async () => {
    const key = await newKey('replay');
    const at = { groupId: 'replay-group', topic: TOPICS.authEvents, partition: 1 };
    const sent = Array.from({ length: 5 }, (_, seq) => ({
      ...eventFor(key.id),
      producerId: 'verifier-a',
      seq,
    }));
    await applyBatch(
      ctx.database.db,
      at,
      5n,
      sent.map((event, i) => ({ offset: BigInt(i), event })),
    );
    const again = [...sent.slice(2), { ...eventFor(key.id), producerId: 'verifier-a', seq: 5 }];
    const result = await applyBatch(
      ctx.database.db,
      at,
      9n,
      again.map((event, i) => ({ offset: BigInt(5 + i), event })),
    );
    expect(result).toMatchObject({ replays: 3, redelivered: 0 });
    expect(await dayTotals(key.id)).toEqual({ total: 6, failure: 0 });
  });

  it("keeps each org's rollup equal to its keys' rows, one shard per partition, replays and redeliveries left out", async () => {
    const { db } = ctx.database;
    const org = await ensureOrg(db, 'rollup-org');
    const issue = async (name: string) =>
      (await issueKey(db, org.id, newKeySchema.parse({ name, scopes: ['chat'] }))).key;
    const [a, b] = [await issue('rollup-a'), await issue('rollup-b')];
    const of = (key: { id: string }, code: AuthEvent['code'], country: string) => ({
      ...authEventFixture({ keyId: key.id, orgId: org.id, code }),
      country,
    });
    const batch = (events: AuthEvent[], from = 0) =>
      events.map((event, i) => ({ offset: BigInt(from + i), event }));
    const first = [of(a, 'VALID', 'DE'), of(a, 'EXPIRED', 'US'), of(b, 'VALID', 'DE')];
    const second = [of(b, 'RATE_LIMITED', 'BR'), of(a, 'VALID', 'DE')];
    const p0 = { groupId: 'rollup-group', topic: TOPICS.authEvents, partition: 0 };
    const p1 = { ...p0, partition: 1 };
    await Promise.all([applyBatch(db, p0, 3n, batch(first)), applyBatch(db, p1, 2n, batch(second))]);
    // Partition 0 redelivered from the start, with one new event.
    const third = [of(b, 'VALID', 'US')];
    await applyBatch(db, p0, 4n, batch([...first, ...third]));

    // Each table's counts summed per bucket (and code or country), over the org's keys or its shards.
    const sums = async (table: string, label?: 'code' | 'country') => {
      const owner = table.startsWith('org_')
        ? sql`org_id = ${org.id}`
        : sql`key_id in (select id from api_keys where org_id = ${org.id})`;
      const by = sql.raw(label ? `granularity, bucket_start, ${label}` : 'granularity, bucket_start');
      const count = sql.raw(label ? 'count' : 'total');
      const rows = await db.execute<{ line: string }>(
        sql`select concat_ws(' ', ${by}, sum(${count})) as line from ${sql.identifier(table)} where ${owner} group by ${by}`,
      );
      return rows.map((r) => r.line).sort();
    };
    const shards = await db.execute<{ shard: number }>(
      sql`select distinct shard from org_usage_buckets where org_id = ${org.id} order by shard`,
    );
    expect(shards.map((r) => r.shard)).toEqual([0, 1]);
    for (const [keys, orgs, label] of [
      ['usage_buckets', 'org_usage_buckets', undefined],
      ['usage_code_counts', 'org_usage_code_counts', 'code'],
      ['usage_country_counts', 'org_usage_country_counts', 'country'],
    ] as const) {
      const expected = await sums(keys, label);
      // Minute, hour and day; by code and by country, three of each per bucket.
      expect(expected).toHaveLength(label ? 9 : 3);
      expect(await sums(orgs, label)).toEqual(expected);
    }
    // Six events: the three redelivered were counted once.
    expect((await sums('org_usage_buckets')).map((line) => line.split(' ').at(-1))).toEqual(['6', '6', '6']);
    // The repair (sums the keys' rows into shard 0) agrees with what the aggregator kept.
    const before = await sums('org_usage_code_counts', 'code');
    await rebuildOrgUsage(db, org.id);
    expect(await sums('org_usage_code_counts', 'code')).toEqual(before);
  });

  it('keeps countries seen, distinct IPs per hour, last use and keyless failures per IP, across batches', async () => {
    const key = await newKey('signals');
    const at = { groupId: 'signals-group', topic: TOPICS.authEvents, partition: 2 };
    const use = (ts: string, ip: string, country: string | null) =>
      authEventFixture({ keyId: key.id, at: new Date(ts), ip, country });
    const stuffing = (ts: string, ip: string) =>
      authEventFixture({ keyId: null, code: 'INVALID_API_KEY', at: new Date(ts), ip, country: null });
    const first = [
      use('2026-11-22T10:05:00.000Z', '192.0.2.1', 'GB'),
      use('2026-11-22T10:45:00.000Z', '192.0.2.2', 'GB'),
      stuffing('2026-11-22T10:05:10.000Z', '203.0.113.5'),
      stuffing('2026-11-22T10:05:20.000Z', '203.0.113.5'),
    ];
    const second = [
      use('2026-11-22T10:50:00.000Z', '192.0.2.1', 'BR'),
      use('2026-11-22T09:59:00.000Z', '192.0.2.3', 'GB'), // late: moves first-seen back, not last use
      use('2026-11-22T11:00:00.000Z', '192.0.2.1', 'GB'),
      stuffing('2026-11-22T10:05:50.000Z', '203.0.113.5'),
    ];
    const asBatch = (events: AuthEvent[], from: number) =>
      events.map((event, i) => ({ offset: BigInt(from + i), event }));
    await applyBatch(ctx.database.db, at, 4n, asBatch(first, 0));
    await applyBatch(ctx.database.db, at, 8n, asBatch(second, 4));

    const db = ctx.database.db;
    const countries = await db
      .select()
      .from(keyCountries)
      .where(eq(keyCountries.keyId, key.id))
      .orderBy(keyCountries.country);
    expect(
      countries.map((c) => [c.country, c.firstSeenAt.toISOString(), c.lastSeenAt.toISOString(), c.count]),
    ).toEqual([
      ['BR', '2026-11-22T10:50:00.000Z', '2026-11-22T10:50:00.000Z', 1],
      ['GB', '2026-11-22T09:59:00.000Z', '2026-11-22T11:00:00.000Z', 4],
    ]);
    const ipsPerHour = await db
      .select({ hour: keyHourlyIps.hourStart, ips: sql<number>`count(*)::int` })
      .from(keyHourlyIps)
      .where(eq(keyHourlyIps.keyId, key.id))
      .groupBy(keyHourlyIps.hourStart)
      .orderBy(keyHourlyIps.hourStart);
    expect(ipsPerHour.map((h) => [h.hour.toISOString(), h.ips])).toEqual([
      ['2026-11-22T09:00:00.000Z', 1],
      ['2026-11-22T10:00:00.000Z', 2],
      ['2026-11-22T11:00:00.000Z', 1],
    ]);
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect([row!.lastUsedAt?.toISOString(), row!.lastUsedIp]).toEqual([
      '2026-11-22T11:00:00.000Z',
      '192.0.2.1',
    ]);
    const keyless = await db.select().from(keylessFailures).where(eq(keylessFailures.ip, '203.0.113.5'));
    expect(keyless.map((k) => [k.bucketStart.toISOString(), k.count])).toEqual([
      ['2026-11-22T10:05:00.000Z', 3],
    ]);
  });
});
