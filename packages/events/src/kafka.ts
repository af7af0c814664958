import { Kafka, logLevel } from 'kafkajs';
import { AUTH_EVENTS_PARTITIONS, TOPICS } from './topics.ts';

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
}

export const createKafka = ({ brokers, clientId }: KafkaOptions): Kafka =>
  // kafkajs logs through its own console logger; our services log connection state themselves.
  new Kafka({ brokers, clientId, logLevel: logLevel.NOTHING, retry: { retries: 8 } });

/** Creates the topics keywatch uses if they are missing (we never rely on auto-creation). */
export async function ensureTopics(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [
      { topic: TOPICS.authEvents, numPartitions: AUTH_EVENTS_PARTITIONS, replicationFactor: 1 },
      { topic: TOPICS.authEventsDlq, numPartitions: 1, replicationFactor: 1 },
    ].filter((t) => !existing.has(t.topic));
    if (wanted.length > 0) await admin.createTopics({ topics: wanted, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
