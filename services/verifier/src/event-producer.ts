import { randomUUID } from 'node:crypto';
import { type AuthEvent, encodeStampedAuthEvent, messageKeyOf, TOPICS } from '@keywatch/events';
import type { Logger } from '@keywatch/log';
import { Counter, Gauge, type Registry } from 'prom-client';
import { KafkaSendError, type KafkaThread } from './kafka-thread.ts';
import type { Spool } from './spool.ts';

export interface ProducerOptions {
  /** Sends batches; closed by stop(). */
  kafka: KafkaThread;
  log: Logger;
  metrics: Registry;
  /** Where events go past the memory bound; without one they are dropped there (and counted). */
  spool: Spool | null;
  /** Events held in memory while Kafka is slow or away. */
  maxBuffered?: number;
  /** Their bytes: a few large events must not take what 100,000 small ones would. */
  maxBufferedBytes?: number;
  batchSize?: number;
  lingerMs?: number;
}

// Kafka refuses a produce request past message.max.bytes (1 MB by default): stay well under it.
const MAX_BATCH_BYTES = 512 * 1024;

interface Entry {
  key: string;
  value: string;
  /** The spool segment the entry was read from: deleted once all its entries are acknowledged. */
  segment?: number;
}

// Events are ASCII JSON almost always, held by V8 as one byte per character.
const sizeOf = (entry: Entry) => entry.key.length + entry.value.length;

/**
 * Sends AuthEvents to Kafka in batches without ever making a request wait: `emit` only appends.
 * One loop sends batches in order (acks from all replicas, idempotent producer) and keeps a failed
 * batch at the head until Kafka takes it. Past the memory bound, and for as long as anything is
 * on disk, new events go to the spool behind what is there, so the order never changes. Every
 * event carries this process's producer id and a sequence number, so the aggregator can drop the
 * copies that a resent batch or a spool replay makes.
 */
export class AuthEventProducer {
  readonly producerId = randomUUID();
  private seq = 0;
  private readonly memory: Entry[] = [];
  private memoryBytes = 0;
  private readonly unacked = new Map<number, number>();
  private readonly options: Required<Omit<ProducerOptions, 'spool'>> & { spool: Spool | null };
  private sending: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Set once stop() has handed everything unsent to the spool. */
  private closed = false;
  private failures = 0;
  private droppedCount = 0;
  /** Lowered when Kafka refuses a batch as too large; back to unlimited after a success. */
  private batchCap = Number.POSITIVE_INFINITY;
  private readonly sent: Counter;
  private readonly dropped: Counter;
  private readonly spooled: Counter;

  constructor(options: ProducerOptions) {
    // Requests never wait on the linger: it only trades event delay (EVENT_LINGER_MS) for bigger batches.
    this.options = {
      maxBuffered: 100_000,
      maxBufferedBytes: 64 * 1024 * 1024,
      batchSize: 5000,
      lingerMs: 20,
      ...options,
    };
    const { metrics } = options;
    this.sent = new Counter({
      name: 'keywatch_events_sent_total',
      help: 'AuthEvents acknowledged by Kafka',
      registers: [metrics],
    });
    this.dropped = new Counter({
      name: 'keywatch_events_dropped_total',
      help: 'AuthEvents lost: memory full and no spool, or the spool disk full',
      registers: [metrics],
    });
    this.spooled = new Counter({
      name: 'keywatch_events_spooled_total',
      help: 'AuthEvents written to the disk spool',
      registers: [metrics],
    });
    const memory = this.memory;
    const spool = options.spool;
    const memoryBytes = () => this.memoryBytes;
    new Gauge({
      name: 'keywatch_events_buffered',
      help: 'AuthEvents in memory waiting to be sent',
      registers: [metrics],
      collect() {
        this.set(memory.length);
      },
    });
    new Gauge({
      name: 'keywatch_events_buffered_bytes',
      help: 'Bytes of the AuthEvents in memory waiting to be sent',
      registers: [metrics],
      collect() {
        this.set(memoryBytes());
      },
    });
    new Gauge({
      name: 'keywatch_events_on_disk_bytes',
      help: 'Bytes of the disk spool',
      registers: [metrics],
      collect() {
        this.set(spool?.bytes ?? 0);
      },
    });
    new Gauge({
      name: 'keywatch_events_on_disk',
      help: 'AuthEvents in the disk spool waiting to be sent',
      registers: [metrics],
      collect() {
        this.set(spool?.onDisk ?? 0);
      },
    });
    if (spool?.hasBacklog) this.schedule(0); // a previous run's spool: replay it first
  }

  /** Events not yet acknowledged by Kafka, in memory and on disk. */
  get pending(): number {
    return this.memory.length + (this.options.spool?.onDisk ?? 0);
  }

  emit(event: AuthEvent): void {
    const entry: Entry = {
      key: messageKeyOf(event),
      value: encodeStampedAuthEvent(event, this.producerId, this.seq++),
    };
    const { spool } = this.options;
    const full = this.memoryFull(entry);
    if (spool && (spool.hasBacklog || full)) {
      try {
        spool.append(entry);
        this.spooled.inc();
      } catch (err) {
        this.drop(err);
      }
    } else if (full) {
      this.drop(new Error('event buffer full and no spool configured'));
    } else {
      this.hold(entry);
    }
    this.schedule(this.memory.length >= this.options.batchSize ? 0 : this.options.lingerMs);
  }

  /** Past either bound of memory (count or bytes), an event goes to the spool. */
  private memoryFull(entry: Entry): boolean {
    const { maxBuffered, maxBufferedBytes } = this.options;
    return this.memory.length >= maxBuffered || this.memoryBytes + sizeOf(entry) > maxBufferedBytes;
  }

  private hold(entry: Entry) {
    this.memory.push(entry);
    this.memoryBytes += sizeOf(entry);
  }

  /** Lets go of the first `count` entries of memory (sent or given up). */
  private forget(count: number): Entry[] {
    const gone = this.memory.splice(0, count);
    for (const entry of gone) this.memoryBytes -= sizeOf(entry);
    return gone;
  }

  // One error line for the first loss and every 1000th after, not one per event.
  private drop(err: unknown) {
    this.dropped.inc();
    if (this.droppedCount++ % 1000 === 0) {
      this.options.log.error(
        { err, dropped: this.droppedCount },
        'AUTH EVENTS LOST: memory full and no spool, the spool full or failing, or Kafka refusing them',
      );
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.sending || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.sending = this.drain()
        .catch((err) => this.options.log.error({ err }, 'event sender failed; retrying'))
        .finally(() => {
          this.sending = null;
          if (this.pending > 0) this.schedule(this.backoffMs());
        });
    }, delayMs);
  }

  private backoffMs(): number {
    return this.failures === 0 ? 0 : Math.min(5000, 100 * 2 ** Math.min(this.failures, 6));
  }

  private async drain(): Promise<void> {
    const { spool, batchSize, log, kafka } = this.options;
    for (;;) {
      if (this.closed) return;
      if (this.memory.length === 0 && spool) {
        let taken: ReturnType<Spool['takeOldest']>;
        try {
          taken = spool.takeOldest();
          if (taken && taken.messages.length === 0) spool.release(taken.segment);
        } catch (err) {
          this.failures++;
          log.error({ err }, 'cannot read the event spool; retrying');
          return;
        }
        if (taken) {
          if (taken.messages.length > 0) this.unacked.set(taken.segment, taken.messages.length);
          for (const m of taken.messages) this.hold({ ...m, segment: taken.segment });
          continue;
        }
      }
      if (this.memory.length === 0) return;
      try {
        const batch = this.nextBatch(Math.min(batchSize, this.batchCap));
        await kafka.send(TOPICS.authEvents, batch);
        if (this.closed) return;
        this.forget(batch.length);
        this.sent.inc(batch.length);
        this.acknowledge(batch);
        if (this.failures > 0) log.info({ pending: this.pending }, 'kafka is taking events again');
        this.failures = 0;
        this.batchCap = Number.POSITIVE_INFINITY;
      } catch (err) {
        if (err instanceof KafkaSendError && err.refusedForGood) {
          this.refused(err);
          continue;
        }
        this.failures++;
        if (this.failures === 1 || this.failures % 20 === 0) {
          log.warn({ err, pending: this.pending }, 'kafka send failed; events kept');
        }
        // A fresh producer next time: a broker restart can leave an idempotent session unusable.
        await kafka.reset().catch(() => {});
        return;
      }
    }
  }

  /**
   * Kafka refused the head batch for good (too large, invalid): halve it until the culprit is
   * alone, then drop that one event, loudly. Retrying as it is would stall every event behind it.
   */
  private refused(err: unknown) {
    const size = Math.min(this.batchCap, this.options.batchSize, this.memory.length);
    if (size > 1) {
      this.batchCap = Math.ceil(size / 2);
      return;
    }
    const [culprit] = this.forget(1);
    if (culprit) this.acknowledge([culprit]);
    this.drop(err);
  }

  /** The head of the buffer, at most `count` events and under Kafka's 1 MB default batch size. */
  private nextBatch(count: number): Entry[] {
    let bytes = 0;
    let n = 0;
    while (n < count && n < this.memory.length) {
      bytes += Buffer.byteLength(this.memory[n]!.value) + Buffer.byteLength(this.memory[n]!.key) + 64;
      if (bytes > MAX_BATCH_BYTES && n > 0) break;
      n++;
    }
    return this.memory.slice(0, n);
  }

  private acknowledge(batch: Entry[]) {
    for (const entry of batch) {
      if (entry.segment === undefined) continue;
      const left = this.unacked.get(entry.segment)! - 1;
      if (left > 0) this.unacked.set(entry.segment, left);
      else {
        this.unacked.delete(entry.segment);
        try {
          this.options.spool!.release(entry.segment);
        } catch (err) {
          // Sent already: a segment left on disk is replayed at the next start and dropped as copies.
          this.options.log.warn({ err, segment: entry.segment }, 'could not delete a sent spool segment');
        }
      }
    }
  }

  /**
   * On shutdown: sends what is pending until the deadline; what Kafka did not take stays in (or
   * goes to) the spool for the next start. Without a spool, the rest is lost and logged as such.
   */
  async stop(deadlineMs = 5_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const deadline = Date.now() + deadlineMs;
    const remaining = () => Math.max(0, deadline - Date.now());
    await within(this.sending, remaining());
    while (this.pending > 0 && remaining() > 0) {
      this.sending = this.drain();
      await within(this.sending, remaining());
      if (this.pending > 0) await within(null, Math.min(this.backoffMs(), remaining()));
    }
    // From here on a send that still completes changes nothing on disk: its events are spooled
    // again below, and the aggregator drops such copies by sequence number.
    this.closed = true;
    const { spool, log } = this.options;
    const unsent = this.memory.filter((e) => e.segment === undefined);
    if (spool) {
      // Older than everything spooled, so they go first; loaded segments are still on disk.
      spool.prepend(unsent);
      spool.close();
      // On disk now: the spool's count plus loaded segments, whose files stay until acknowledged.
      const left = spool.onDisk + (this.memory.length - unsent.length);
      if (left > 0) log.warn({ left }, 'stopped with AuthEvents in the spool; they go out at the next start');
    } else if (unsent.length > 0) {
      log.error({ lost: unsent.length }, 'stopped with AuthEvents unsent and no spool');
    }
    await this.options.kafka.close();
  }
}

/** Waits for a promise (or nothing), at most `ms`. */
const within = (promise: Promise<unknown> | null, ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise?.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
