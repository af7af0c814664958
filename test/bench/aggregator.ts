import { connect, consumerOffsets, ensureOrg, issueKey, keylessFailures, usageBuckets } from '@keywatch/db';
import { createKafka, decodeAuthEvent, TOPICS } from '@keywatch/events';
import { freePort } from '@keywatch/infra';
import { newKeySchema } from '@keywatch/keys';
import { produceEventStream, startService, waitFor } from '@keywatch/testkit';
import { eq, sql } from 'drizzle-orm';

const EVENTS = 1_000_000;
const KEYS = 200;

/**
 * 1,000,000 events already in Kafka, consumed into Postgres by the aggregator (a real process),
 * against a bare kafkajs consumer that only reads and decodes the same messages, in the same run.
 */
export async function benchAggregator(env: Record<string, string>, log: (line: string) => void) {
  const kafka = createKafka({ brokers: env.KAFKA_BROKERS!.split(','), clientId: 'bench' });
  const database = connect(env.DATABASE_URL!, { max: 2 });
  const org = await ensureOrg(database.db, 'bench-aggregator');
  const keyIds: string[] = [];
  for (let i = 0; i < KEYS; i++) {
    const spec = newKeySchema.parse({ name: `agg-${i}`, scopes: ['chat'] });
    keyIds.push((await issueKey(database.db, org.id, spec)).key.id);
  }
  log(`aggregator: producing ${EVENTS} events`);
  const produced = await produceEventStream(kafka, { events: EVENTS, keyIds });
  const inTopic = await messagesInTopic(kafka);
  if (inTopic !== EVENTS) throw new Error(`auth-events holds ${inTopic} messages, expected ${EVENTS}`);

  log('aggregator: baseline, a bare kafkajs consumer decoding every message');
  const baselineSeconds = await bareConsumer(kafka, EVENTS);

  log('aggregator: the aggregator process, from start to the last offset committed in Postgres');
  const port = await freePort();
  const groupId = 'bench-aggregator';
  const started = performance.now();
  const aggregator = await startService(
    'aggregator',
    { ...env, AGGREGATOR_PORT: String(port), KAFKA_GROUP_ID: groupId },
    port,
  );
  const applied = async () => {
    const [row] = await database.db
      .select({ next: sql<number>`coalesce(sum(${consumerOffsets.nextOffset}), 0)::int8`.mapWith(Number) })
      .from(consumerOffsets)
      .where(eq(consumerOffsets.groupId, groupId));
    return row!.next;
  };
  await waitFor('the aggregator to apply every event', async () => (await applied()) >= EVENTS, {
    timeoutMs: 600_000,
    intervalMs: 100,
  });
  const seconds = (performance.now() - started) / 1000;
  await aggregator.stop();

  const [counted] = await database.db
    .select({ total: sql<number>`coalesce(sum(${usageBuckets.total}), 0)::int8`.mapWith(Number) })
    .from(usageBuckets)
    .where(eq(usageBuckets.granularity, 'minute'));
  const [keyless] = await database.db
    .select({ total: sql<number>`coalesce(sum(${keylessFailures.count}), 0)::int8`.mapWith(Number) })
    .from(keylessFailures);
  await database.close();
  return {
    events: EVENTS,
    eventsPerSec: Math.round(EVENTS / seconds),
    baselineEventsPerSec: Math.round(EVENTS / baselineSeconds),
    ratio: Number((baselineSeconds / seconds).toFixed(3)),
    exact: counted!.total === produced.keyed && keyless!.total === produced.keyless,
  };
}

async function messagesInTopic(kafka: ReturnType<typeof createKafka>): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(TOPICS.authEvents);
    return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Seconds for a consumer that only reads and decodes (the same codec) to get through `events`. */
async function bareConsumer(kafka: ReturnType<typeof createKafka>, events: number): Promise<number> {
  const consumer = kafka.consumer({ groupId: 'bench-baseline', maxWaitTimeInMs: 250 });
  let seen = 0;
  let done: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const started = performance.now();
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.authEvents, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        if (!decodeAuthEvent(message.value).ok) throw new Error('bench event did not decode');
      }
      seen += batch.messages.length;
      if (seen >= events) done();
    },
  });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await consumer.disconnect();
  return seconds;
}
