import { connect } from '@keywatch/db';
import { createKafka, decodeAuthEvent, TOPICS } from '@keywatch/events';
import { freePort } from '@keywatch/infra';
import {
  appliedOffsets,
  countedFor,
  issueKeys,
  produceEventStream,
  startService,
  topicEnd,
  waitFor,
} from '@keywatch/testkit';

const EVENTS = 1_000_000;
const KEYS = 200;

/**
 * 1,000,000 events already in Kafka, consumed into Postgres by the aggregator (a real process),
 * against a bare kafkajs consumer that only reads and decodes the same messages, in the same run.
 * Both read the whole topic (earlier benchmarks' few events included); `exact` checks this
 * benchmark's keys and keyless events to the last one.
 */
export async function benchAggregator(env: Record<string, string>, log: (line: string) => void) {
  const kafka = createKafka({ brokers: env.KAFKA_BROKERS!.split(','), clientId: 'bench' });
  const database = connect(env.DATABASE_URL!, { max: 2 });
  const keyIds = await issueKeys(database.db, KEYS);
  log(`aggregator: producing ${EVENTS} events`);
  const before = await topicEnd(kafka);
  const produced = await produceEventStream(kafka, { events: EVENTS, keyIds });
  const messages = await topicEnd(kafka);
  if (messages - before !== EVENTS)
    throw new Error(`auth-events grew by ${messages - before}, expected ${EVENTS}`);

  log('aggregator: baseline, a bare kafkajs consumer decoding every message');
  const baselineSeconds = await bareConsumer(kafka, messages);

  log('aggregator: the aggregator process, from start to the last offset committed in Postgres');
  const port = await freePort();
  const groupId = 'bench-aggregator';
  const started = performance.now();
  const aggregator = await startService(
    'aggregator',
    { ...env, AGGREGATOR_PORT: String(port), KAFKA_GROUP_ID: groupId },
    port,
  );
  await waitFor(
    'the aggregator to apply every event',
    async () => (await appliedOffsets(database.db, groupId)) >= messages,
    {
      timeoutMs: 600_000,
      intervalMs: 100,
    },
  );
  const seconds = (performance.now() - started) / 1000;
  await aggregator.stop();

  const counted = await countedFor(database.db, produced);
  await database.close();
  const exact =
    counted.keyless === produced.keyless &&
    (['minute', 'hour', 'day'] as const).every((g) => sameTotals(counted[g], produced.byKey));
  return {
    events: EVENTS,
    eventsPerSec: Math.round(messages / seconds),
    baselineEventsPerSec: Math.round(messages / baselineSeconds),
    ratio: Number((baselineSeconds / seconds).toFixed(3)),
    exact,
  };
}

const sameTotals = (a: Map<string, { total: number; failure: number }>, b: typeof a) =>
  a.size === b.size &&
  [...b].every(([k, v]) => a.get(k)?.total === v.total && a.get(k)?.failure === v.failure);

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
