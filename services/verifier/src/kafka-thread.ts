import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
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
export type WorkerReply = { id: number; error?: { message: string; refusedForGood: boolean } };

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** Keys and values never hold a raw newline (uuids, `ip:…`, JSON), so one string each crosses cheaply. */
export const SEPARATOR = '\n';

/**
 * kafkajs on its own thread: encoding, checksums and the client's garbage stay off the thread
 * that answers requests, which only hands over batches as two strings.
 */
export class KafkaThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private nextId = 0;
  private exited: Error | null = null;

  constructor(options: { brokers: string[]; clientId: string }) {
    // The worker is TypeScript like the rest: it registers tsx before loading it, so it runs the
    // same under node, tsx and the test runner.
    const tsx = createRequire(import.meta.url).resolve('tsx/cjs');
    const entry = fileURLToPath(new URL('./kafka-thread.worker.ts', import.meta.url));
    this.worker = new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, {
      eval: true,
      workerData: options,
    });
    this.worker.on('message', (reply: WorkerReply) => {
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
