import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@keywatch/log';
import { authEventFixture } from '@keywatch/testkit';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthEventProducer } from '../../src/event-producer.ts';
import { KafkaThread } from '../../src/kafka-thread.ts';
import { Spool } from '../../src/spool.ts';

const dirs: string[] = [];
const producers: AuthEventProducer[] = [];
afterEach(async () => {
  await Promise.all(producers.splice(0).map((p) => p.stop(0)));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A producer whose Kafka never answers (nothing listens on port 1): every event stays pending. */
function producerWithoutKafka(options: { maxBufferedBytes: number; spoolMaxBytes: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'event-buffer-test-'));
  dirs.push(dir);
  const metrics = new Registry();
  const errors: string[] = [];
  const log = createLogger({
    service: 'event-buffer-test',
    destination: {
      write: (line: string) => {
        if (JSON.parse(line).level >= 50) errors.push(line);
      },
    },
  });
  const spool = new Spool(dir, options.spoolMaxBytes);
  const producer = new AuthEventProducer({
    kafka: new KafkaThread({ brokers: ['127.0.0.1:1'], clientId: 'event-buffer-test' }),
    log,
    metrics,
    spool,
    maxBuffered: 100_000,
    maxBufferedBytes: options.maxBufferedBytes,
  });
  producers.push(producer);
  const metric = async (name: string) =>
    (await metrics.getSingleMetric(name)!.get()).values.reduce((n, v) => n + v.value, 0);
  return { producer, spool, metric, errors };
}

// About 1 KB each, far fewer than the count bound.
const largeEvent = () => authEventFixture({ path: `/${'a'.repeat(1000)}` });

describe('the event buffer', () => {
  it('spools past its byte bound although far below its count bound', async () => {
    const { producer, spool, metric } = producerWithoutKafka({
      maxBufferedBytes: 20_000,
      spoolMaxBytes: 1024 * 1024,
    });
    for (let i = 0; i < 200; i++) producer.emit(largeEvent());

    const inMemory = await metric('keywatch_events_buffered');
    expect(await metric('keywatch_events_buffered_bytes')).toBeLessThanOrEqual(20_000);
    expect(inMemory).toBeGreaterThan(0);
    expect(inMemory).toBeLessThan(20);
    expect(spool.onDisk).toBe(200 - inMemory);
    expect(await metric('keywatch_events_dropped_total')).toBe(0);
  });

  it('drops past the spool bound, counts every loss and logs one error line for them', async () => {
    const { producer, spool, metric, errors } = producerWithoutKafka({
      maxBufferedBytes: 10_000,
      spoolMaxBytes: 50_000,
    });
    for (let i = 0; i < 200; i++) producer.emit(largeEvent());

    expect(spool.bytes).toBeLessThanOrEqual(50_000);
    expect(await metric('keywatch_events_on_disk_bytes')).toBe(spool.bytes);
    const kept = (await metric('keywatch_events_buffered')) + spool.onDisk;
    expect(kept).toBeGreaterThan(40);
    expect(await metric('keywatch_events_dropped_total')).toBe(200 - kept);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('EVENT_SPOOL_MAX_BYTES');
  });
});
