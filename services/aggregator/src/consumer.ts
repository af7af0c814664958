import type { Db } from '@keywatch/db';
import { decodeAuthEvent, TOPICS } from '@keywatch/events';
import type { Logger } from '@keywatch/log';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { Counter, type Registry } from 'prom-client';
import {
  applyBatch,
  clearEvaluationRequests,
  type PartitionPosition,
  staleEvaluationRequests,
  storedOffset,
} from './store.ts';

export interface AggregatorOptions {
  kafka: Kafka;
  db: Db;
  groupId: string;
  sessionTimeoutMs?: number;
  log: Logger;
  metrics: Registry;
  /**
   * Requests evaluations of these keys: called after each commit with the keys whose counts
   * changed (and by the sweeper with those whose request is still in the outbox).
   */
  onCountsChanged: (keyIds: string[]) => Promise<void>;
  /**
   * Called after each commit with the source IPs that presented unknown keys. Best effort: the
   * alerter's sweep finds an IP over the credential-stuffing threshold whose call was missed.
   */
  onUnknownKeys?: (ips: string[]) => Promise<void>;
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
  sessionTimeoutMs = 30_000,
  log,
  metrics,
  onCountsChanged,
  onUnknownKeys,
}: AggregatorOptions): Aggregator {
  // A short fetch wait keeps the time from request to alert low when traffic is light.
  const consumer: Consumer = kafka.consumer({
    groupId,
    sessionTimeout: sessionTimeoutMs,
    heartbeatInterval: Math.min(3000, sessionTimeoutMs / 3),
    maxWaitTimeInMs: 250,
    // Bigger batches when there is a backlog: one transaction's fixed cost spreads over more events.
    maxBytesPerPartition: 4 * 1024 * 1024,
  });
  const dlq: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  const messages = new Counter({
    name: 'keywatch_aggregator_messages_total',
    help: 'auth-events messages by result',
    labelNames: ['result'],
    registers: [metrics],
  });
  let crashed = false;
  let failingBatches = 0;
  let sweeper: NodeJS.Timeout | undefined;

  /** Queues evaluations, then takes them out of the outbox; on failure the sweeper tries again. */
  async function requestEvaluations(keyIds: string[]) {
    const queuedAt = new Date();
    try {
      await onCountsChanged(keyIds);
      await clearEvaluationRequests(db, keyIds, queuedAt);
    } catch (err) {
      log.error({ err, keys: keyIds.length }, 'could not queue evaluations; they stay in the outbox');
    }
  }

  // Seeking only saves rereading: applyBatch skips what Postgres says was applied anyway.
  consumer.on(consumer.events.GROUP_JOIN, async ({ payload }) => {
    try {
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        for (const partition of partitions) {
          const next = await storedOffset(db, { groupId, topic, partition });
          if (next !== null && next > 0n) consumer.seek({ topic, partition, offset: next.toString() });
        }
      }
    } catch (err) {
      log.warn({ err }, 'could not seek to the offsets stored in Postgres; reading from Kafka commits');
    }
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    log.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
    if (!payload.restart) crashed = true;
  });

  async function notYetApplied<T extends { message: KafkaMessage }>(bad: T[], at: PartitionPosition) {
    const applied = (await storedOffset(db, at)) ?? 0n;
    return bad.filter(({ message }) => BigInt(message.offset) >= applied);
  }

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
    healthy: () => !crashed && failingBatches < 3,
    async start() {
      await Promise.all([consumer.connect(), dlq.connect()]);
      await consumer.subscribe({ topic: TOPICS.authEvents, fromBeginning: true });
      await consumer.run({
        // While one partition's batch waits on Postgres, others are decoded and folded (up to the
        // topic's six). Safe: a key's events live in one partition, so batches never share rows.
        partitionsConsumedConcurrently: 6,
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async (payload) => {
          try {
            await applyKafkaBatch(payload);
            failingBatches = 0;
          } catch (err) {
            failingBatches++;
            log.error(
              { err, partition: payload.batch.partition, failingBatches },
              'batch failed; kafka will retry it',
            );
            throw err;
          }
        },
      });
      sweeper = setInterval(async () => {
        const stale = await staleEvaluationRequests(db, 10_000).catch(() => []);
        if (stale.length > 0) await requestEvaluations(stale);
      }, 5_000);
      sweeper.unref();
    },
    async stop() {
      clearInterval(sweeper);
      await consumer.disconnect();
      await dlq.disconnect();
    },
  };

  async function applyKafkaBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const at = { groupId, topic: batch.topic, partition: batch.partition };
    const decoded = batch.messages.map((message) => ({
      message,
      result: decodeAuthEvent(message.value),
    }));
    const bad = decoded.flatMap(({ message, result }) =>
      result.ok ? [] : [{ message, reason: result.reason }],
    );
    // Dead letters first: if we crash before the commit they may be sent twice, never lost. A batch
    // Kafka delivers again (a late seek, a lost commit, a rewind) sends only what Postgres has not
    // passed, so a redelivery alone never duplicates a dead letter.
    const unseenBad = bad.length === 0 ? [] : await notYetApplied(bad, at);
    if (unseenBad.length > 0) await toDeadLetters(unseenBad, batch.partition);

    const last = BigInt(batch.lastOffset());
    const good = decoded.flatMap(({ message, result }) =>
      result.ok ? [{ offset: BigInt(message.offset), event: result.event }] : [],
    );
    const applied = await applyBatch(db, at, last + 1n, good);
    messages.inc({ result: 'dead_letter' }, unseenBad.length);
    if (applied) {
      messages.inc({ result: 'counted' }, applied.delta.counted);
      messages.inc({ result: 'redelivered' }, applied.redelivered);
      messages.inc({ result: 'replayed' }, applied.replays);
    } else {
      messages.inc({ result: 'redelivered' }, good.length);
    }
    resolveOffset(batch.lastOffset());
    // Kafka's own commit only saves a seek on restart; Postgres holds the truth.
    await consumer.commitOffsets([{ ...at, offset: (last + 1n).toString() }]).catch(() => {});
    await heartbeat();
    if (applied && applied.delta.lastUse.length > 0) {
      await requestEvaluations(applied.delta.lastUse.map((u) => u.keyId));
    }
    if (applied && applied.delta.keyless.length > 0 && onUnknownKeys) {
      const ips = [...new Set(applied.delta.keyless.map((k) => k.ip))];
      await onUnknownKeys(ips).catch((err) =>
        log.warn({ err, ips: ips.length }, 'could not queue credential-stuffing checks; the sweep will'),
      );
    }
  }
}
