import { type AuthEvent, encodeAuthEvent, messageKeyOf, TOPICS } from '@keywatch/events';
import type { Logger } from '@keywatch/log';
import type { Kafka, Message, Producer } from 'kafkajs';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface ProducerOptions {
  kafka: Kafka;
  log: Logger;
  metrics: Registry;
  /** Events held in memory while Kafka is slow or away; past it new events are dropped and counted. */
  maxBuffered?: number;
  batchSize?: number;
  lingerMs?: number;
}

/**
 * Sends AuthEvents to Kafka in batches without ever making a request wait: `emit` only appends
 * to a buffer; one loop sends batches in order (acks from all replicas, idempotent producer) and
 * keeps a failed batch at the head until Kafka takes it.
 */
export class AuthEventProducer {
  private readonly producer: Producer;
  private readonly buffer: Message[] = [];
  private readonly maxBuffered: number;
  private readonly batchSize: number;
  private readonly lingerMs: number;
  private readonly log: Logger;
  private connected = false;
  private sending: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failures = 0;
  private droppedCount = 0;
  private readonly sent: Counter;
  private readonly dropped: Counter;

  constructor({
    kafka,
    log,
    metrics,
    maxBuffered = 200_000,
    batchSize = 2000,
    lingerMs = 5,
  }: ProducerOptions) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    this.maxBuffered = maxBuffered;
    this.batchSize = batchSize;
    this.lingerMs = lingerMs;
    this.log = log;
    this.sent = new Counter({
      name: 'keywatch_events_sent_total',
      help: 'AuthEvents acknowledged by Kafka',
      registers: [metrics],
    });
    this.dropped = new Counter({
      name: 'keywatch_events_dropped_total',
      help: 'AuthEvents dropped because the in-memory buffer was full',
      registers: [metrics],
    });
    const buffer = this.buffer;
    new Gauge({
      name: 'keywatch_events_buffered',
      help: 'AuthEvents waiting to be sent',
      registers: [metrics],
      collect() {
        this.set(buffer.length);
      },
    });
  }

  get buffered(): number {
    return this.buffer.length;
  }

  emit(event: AuthEvent): void {
    if (this.buffer.length >= this.maxBuffered) {
      this.dropped.inc();
      if (this.droppedCount++ % 1000 === 0) {
        this.log.error(
          { buffered: this.buffer.length, dropped: this.droppedCount },
          'event buffer full: dropping AuthEvents',
        );
      }
      return;
    }
    this.buffer.push({ key: messageKeyOf(event), value: encodeAuthEvent(event) });
    this.schedule(this.buffer.length >= this.batchSize ? 0 : this.lingerMs);
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.sending || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.sending = this.drain().finally(() => {
        this.sending = null;
        if (this.buffer.length > 0) this.schedule(this.backoffMs());
      });
    }, delayMs);
  }

  private backoffMs(): number {
    return this.failures === 0 ? 0 : Math.min(5000, 100 * 2 ** Math.min(this.failures, 6));
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      try {
        if (!this.connected) {
          await this.producer.connect();
          this.connected = true;
          this.log.info('connected to kafka');
        }
        const batch = this.buffer.slice(0, this.batchSize);
        await this.producer.send({ topic: TOPICS.authEvents, acks: -1, messages: batch });
        this.buffer.splice(0, batch.length);
        this.sent.inc(batch.length);
        if (this.failures > 0)
          this.log.info({ buffered: this.buffer.length }, 'kafka is taking events again');
        this.failures = 0;
      } catch (err) {
        this.failures++;
        if (this.failures === 1 || this.failures % 20 === 0) {
          this.log.warn({ err, buffered: this.buffer.length }, 'kafka send failed; events kept in buffer');
        }
        return;
      }
    }
  }

  /** Sends what is buffered (up to the deadline), then disconnects. */
  async stop(deadlineMs = 10_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const deadline = Date.now() + deadlineMs;
    while (Date.now() < deadline) {
      await this.sending;
      if (this.buffer.length === 0) break;
      this.sending = this.drain();
      await this.sending;
      if (this.buffer.length > 0) await new Promise((r) => setTimeout(r, 200));
    }
    if (this.buffer.length > 0)
      this.log.error({ lost: this.buffer.length }, 'stopped with AuthEvents unsent');
    await this.producer.disconnect().catch(() => {});
  }
}
