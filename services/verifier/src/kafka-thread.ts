import { Worker } from 'node:worker_threads';

export interface OutgoingMessage {
  key: string;
  value: string;
}

/** A send Kafka did not take; `refusedForGood` when no retry can fix it (the records themselves). */
export class KafkaSendError extends Error {
  constructor(
    message: string,
    readonly refusedForGood: boolean,
  ) {
    super(message);
    this.name = 'KafkaSendError';
  }
}

export type WorkerRequest =
  | { type: 'send'; id: number; topic: string; keys: string; values: string }
  | { type: 'reset'; id: number };
export type WorkerReply =
  | { id: number; error?: { message: string; refusedForGood: boolean } }
  /** Sent once at start: the thread's Linux id, for its CPU metric. */
  | { threadId: number | null };

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** Keys and values never hold a raw newline (uuids, `ip:…`, JSON), so one string each crosses cheaply. */
export const SEPARATOR = '\n';

/**
 * The thread's entry. Built (this module inlined into dist/main.js), dist/kafka-thread.worker.js:
 * plain JavaScript. From the TypeScript sources (tsx in development, the test runner), a CommonJS
 * shim that registers tsx's require hook and then loads kafka-thread.worker.ts: Node 20 does not
 * apply the ESM loader hooks of `--import tsx` to worker threads.
 */
const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./kafka-thread.worker.dev.cjs', import.meta.url)
  : new URL('./kafka-thread.worker.js', import.meta.url);

/**
 * kafkajs on its own thread: encoding, checksums and the client's garbage stay off the thread
 * that answers requests, which only hands over batches as two strings.
 */
export class KafkaThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private nextId = 0;
  private exited: Error | null = null;
  /** The thread's Linux id once it has started (null elsewhere), for `keywatch_thread_cpu_seconds`. */
  threadId: number | null = null;

  constructor(options: { brokers: string[]; clientId: string }) {
    this.worker = new Worker(WORKER_ENTRY, { workerData: options });
    this.worker.on('message', (reply: WorkerReply) => {
      if ('threadId' in reply) {
        this.threadId = reply.threadId;
        return;
      }
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (!reply.error) waiter?.resolve();
      else waiter?.reject(new KafkaSendError(reply.error.message, reply.error.refusedForGood));
    });
    const fail = (err: Error) => {
      this.exited = err;
      for (const waiter of this.waiting.values()) waiter.reject(err);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`kafka thread exited with ${code}`)));
  }

  /** Resolves once Kafka acknowledged every message (acks from all in-sync replicas). */
  send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    return this.request({
      type: 'send',
      topic,
      keys: messages.map((m) => m.key).join(SEPARATOR),
      values: messages.map((m) => m.value).join(SEPARATOR),
    });
  }

  /** Drops the producer: the next send connects a fresh one (a restarted broker can strand a session). */
  reset(): Promise<void> {
    return this.request({ type: 'reset' });
  }

  /** Ends the thread at once: by now the producer has sent, or spooled, all it holds. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private request(message: DistributiveOmit<WorkerRequest, 'id'>) {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }
}
