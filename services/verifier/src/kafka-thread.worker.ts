import { parentPort, workerData } from 'node:worker_threads';
import { createKafka } from '@keywatch/events';
import { currentThreadId } from '@keywatch/runtime/threads';
import type { Producer } from 'kafkajs';
import { partitionRemembered } from './kafka-partitioner.ts';
import { SEPARATOR, type WorkerReply, type WorkerRequest } from './kafka-thread.ts';

const kafka = createKafka(workerData as { brokers: string[]; clientId: string });
let producer: Producer | null = null;
parentPort!.postMessage({ threadId: currentThreadId() } satisfies WorkerReply);

async function send(topic: string, keys: string, values: string) {
  if (!producer) {
    producer = kafka.producer({
      createPartitioner: partitionRemembered,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: 3, maxRetryTime: 2000 },
    });
    await producer.connect();
  }
  const keyList = keys.split(SEPARATOR);
  const messages = values.split(SEPARATOR).map((value, i) => ({ key: keyList[i]!, value }));
  await producer.send({ topic, acks: -1, messages });
}

async function disconnect() {
  const stale = producer;
  producer = null;
  await stale?.disconnect().catch(() => {});
}

// One request at a time, in order: the main thread never has two sends out, and a reset or close
// must not overtake a send.
let queue = Promise.resolve();
parentPort!.on('message', (request: WorkerRequest) => {
  queue = queue.then(async () => {
    const reply: WorkerReply = { id: request.id };
    try {
      if (request.type === 'send') await send(request.topic, request.keys, request.values);
      else await disconnect();
    } catch (err) {
      reply.error = { message: (err as Error).message, refusedForGood: refusedForGood(err) };
    }
    parentPort!.postMessage(reply);
  });
});

/** Errors no retry can fix: Kafka refuses these records themselves, not the connection. */
function refusedForGood(err: unknown): boolean {
  const refused = new Set([
    'MESSAGE_TOO_LARGE',
    'RECORD_LIST_TOO_LARGE',
    'INVALID_RECORD',
    'CORRUPT_MESSAGE',
  ]);
  for (let e = err as { type?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.type && refused.has(e.type)) return true;
  }
  return false;
}
