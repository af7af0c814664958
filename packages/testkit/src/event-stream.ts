import { randomUUID } from 'node:crypto';
import { consumerOffsets, type Db, ensureOrg, keylessFailures, usageBuckets } from '@keywatch/db';
import { type AuthEvent, messageKeyOf, newAuthEvent, TOPICS } from '@keywatch/events';
import { freePort } from '@keywatch/infra';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { eq, like, sql } from 'drizzle-orm';
import type { Kafka } from 'kafkajs';
import type { TestContext } from './context.ts';
import { startService } from './process.ts';

export interface StreamOptions {
  events: number;
  /** Key ids the events are spread over. */
  keyIds: string[];
  /** Share of events with no key (unknown keys), counted per source IP. */
  keylessShare?: number;
  /** Events are stamped in order over this many minutes before `now`, with some arriving late. */
  spreadMinutes?: number;
  now?: Date;
}

/** What the aggregates must hold once every event of a stream is applied. */
export interface StreamTotals {
  events: number;
  keyed: number;
  keyless: number;
  failures: number;
  /** Every keyless event of this stream comes from an address starting so (IPv6, per stream). */
  keylessIpPrefix: string;
  byKey: Map<string, { total: number; failure: number }>;
}

const CODES_FAILING: AuthEvent['code'][] = ['INSUFFICIENT_SCOPE', 'RATE_LIMITED', 'IP_NOT_ALLOWED'];
const COUNTRIES = ['GB', 'US', 'NL', 'DE', null];
// Byte-bounded sends: Kafka refuses a request past 1 MB and an event is about 400 bytes.
const SEND_SIZE = 2000;
const LATE_MS = 30 * 60_000;

/**
 * Produces a deterministic, varied stream of AuthEvents (codes, countries, IPs, keyless events,
 * producer sequence numbers as a verifier sets them) and returns the totals it must add up to.
 */
export async function produceEventStream(kafka: Kafka, options: StreamOptions): Promise<StreamTotals> {
  const { events, keyIds, keylessShare = 0.02, spreadMinutes = 60, now = new Date() } = options;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const producerId = randomUUID();
  const step = (spreadMinutes * 60_000) / events;
  const start = now.getTime() - spreadMinutes * 60_000;
  // Written as the aggregator writes a source (an IPv6 /64, no leading zeros), so it matches both.
  const keylessIpPrefix = `2001:db8:${Number.parseInt(producerId.slice(0, 4), 16).toString(16)}:`;
  const totals: StreamTotals = {
    events,
    keyed: 0,
    keyless: 0,
    failures: 0,
    keylessIpPrefix,
    byKey: new Map(),
  };
  try {
    let batch: AuthEvent[] = [];
    for (let i = 0; i < events; i++) {
      const keyless = (i * 7919) % 1000 < keylessShare * 1000;
      const keyId = keyless ? null : keyIds[i % keyIds.length]!;
      const failing = keyless || i % 10 === 3;
      const code = keyless ? 'INVALID_API_KEY' : failing ? CODES_FAILING[i % CODES_FAILING.length]! : 'VALID';
      const event = newAuthEvent({
        at: new Date(start + i * step - (i % 997 === 0 ? LATE_MS : 0)),
        keyId,
        orgId: null,
        keyPrefix: null,
        code,
        scope: 'chat',
        method: 'GET',
        path: '/v1/chat',
        // A key is used from a few addresses; unknown keys come from many (credential stuffing).
        ip: keyless
          ? `${keylessIpPrefix}:${i % 250}`
          : `198.51.${(i % keyIds.length) % 250}.${(i >> 10) % 4}`,
        country: COUNTRIES[i % COUNTRIES.length]!,
        userAgent: 'bench',
        latencyMs: 0.4,
      });
      batch.push({ ...event, producerId, seq: i });
      if (keyId) {
        totals.keyed++;
        const perKey = totals.byKey.get(keyId) ?? { total: 0, failure: 0 };
        perKey.total++;
        perKey.failure += failing ? 1 : 0;
        totals.byKey.set(keyId, perKey);
      } else totals.keyless++;
      totals.failures += failing ? 1 : 0;
      if (batch.length === SEND_SIZE || i === events - 1) {
        await producer.send({
          topic: TOPICS.authEvents,
          acks: -1,
          messages: batch.map((e) => ({ key: messageKeyOf(e), value: JSON.stringify(e) })),
        });
        batch = [];
      }
    }
  } finally {
    await producer.disconnect();
  }
  return totals;
}

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
