import type { Db } from '@keywatch/db';
import { type AuthEvent, decodeAuthEvent, TOPICS } from '@keywatch/events';
import type { Logger } from '@keywatch/log';
import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { Counter, type Registry } from 'prom-client';
import { foldEvents } from './fold.ts';
import { applyBatch, storedOffset } from './store.ts';

export interface AggregatorOptions {
  kafka: Kafka;
  db: Db;
  groupId: string;
  log: Logger;
  metrics: Registry;
  /** Called after each commit with the keys whose counts changed. */
  onTouched: (keyIds: string[]) => Promise<void>;
}

export interface Aggregator {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** False once the consumer has crashed for good. */
  healthy(): boolean;
}

/**
 * Consumes auth-events in a consumer group. Postgres, not Kafka, holds the truth of how far each
 * partition was applied: on assignment we seek there, and each batch commits with its offsets.
 */
export function createAggregator({
  kafka,
  db,
  groupId,
  log,
  metrics,
  onTouched,
}: AggregatorOptions): Aggregator {
  // A short fetch wait keeps the time from request to alert low when traffic is light.
  const consumer: Consumer = kafka.consumer({
    groupId,
    sessionTimeout: 30_000,
    heartbeatInterval: 3000,
    maxWaitTimeInMs: 250,
  });
  const dlq: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  const events = new Counter({
    name: 'keywatch_aggregator_messages_total',
    help: 'auth-events messages by result',
    labelNames: ['result'],
    registers: [metrics],
  });
  let crashed = false;

  consumer.on(consumer.events.GROUP_JOIN, async ({ payload }) => {
    for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
      for (const partition of partitions) {
        const next = await storedOffset(db, { groupId, topic, partition });
        if (next !== null) consumer.seek({ topic, partition, offset: next.toString() });
      }
    }
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    log.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
    if (!payload.restart) crashed = true;
  });

  async function toDeadLetters(bad: { message: KafkaMessage; reason: string }[], partition: number) {
    await dlq.send({
      topic: TOPICS.authEventsDlq,
      acks: -1,
      messages: bad.map(({ message, reason }) => ({
        key: message.key,
        value: message.value,
        headers: {
          reason,
          'source-topic': TOPICS.authEvents,
          'source-partition': String(partition),
          'source-offset': message.offset,
        },
      })),
    });
  }

  return {
    healthy: () => !crashed,
    async start() {
      await Promise.all([consumer.connect(), dlq.connect()]);
      await consumer.subscribe({ topic: TOPICS.authEvents, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          if (!isRunning() || isStale() || batch.messages.length === 0) return;
          const at = { groupId, topic: batch.topic, partition: batch.partition };
          const decoded = batch.messages.map((message) => ({
            message,
            result: decodeAuthEvent(message.value),
          }));
          const bad = decoded.flatMap(({ message, result }) =>
            result.ok ? [] : [{ message, reason: result.reason }],
          );
          // Dead letters first: if we crash before the commit they may be sent twice, never lost.
          if (bad.length > 0) await toDeadLetters(bad, batch.partition);

          const last = BigInt(batch.lastOffset());
          let duplicates = 0;
          const delta = await applyBatch(db, at, last + 1n, (appliedBelow) => {
            const fresh: AuthEvent[] = [];
            for (const { message, result } of decoded) {
              if (appliedBelow !== null && BigInt(message.offset) < appliedBelow) duplicates++;
              else if (result.ok) fresh.push(result.event);
            }
            return foldEvents(fresh);
          });
          events.inc({ result: 'dead_letter' }, bad.length);
          if (delta) {
            events.inc({ result: 'counted' }, delta.counted);
            events.inc({ result: 'redelivered' }, duplicates);
          } else {
            events.inc({ result: 'redelivered' }, batch.messages.length);
          }
          resolveOffset(batch.lastOffset());
          // Kafka's own commit only saves a seek on restart; Postgres holds the truth.
          await consumer.commitOffsets([{ ...at, offset: (last + 1n).toString() }]).catch(() => {});
          await heartbeat();
          if (delta && delta.lastUse.length > 0) {
            await onTouched(delta.lastUse.map((u) => u.keyId)).catch((err) =>
              log.error({ err }, 'could not request evaluation of touched keys'),
            );
          }
        },
      });
    },
    async stop() {
      await consumer.disconnect();
      await dlq.disconnect();
    },
  };
}
