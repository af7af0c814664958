import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consumerOffsets, ensureOrg, usageBuckets } from '@keywatch/db';
import { createKafka, ensureTopics, TOPICS } from '@keywatch/events';
import { freePort, type RunningBroker, startKafka } from '@keywatch/infra';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import {
  createTestContext,
  type ServiceProcess,
  startService,
  type TestContext,
  waitFor,
} from '@keywatch/testkit';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Kafka goes away while traffic goes on: the verifier answers everything, keeps the events (in
// memory, then on disk), survives its own restart meanwhile, and every event is counted once.
let ctx: TestContext;
let broker: RunningBroker;
let dataDir: string;
let ports: { kafka: number; controller: number; verifier: number; aggregator: number };
const running: ServiceProcess[] = [];

const startBroker = () =>
  startKafka({ dataDir, port: ports.kafka, controllerPort: ports.controller }).then((b) => {
    broker = b;
  });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keywatch-outage-kafka-'));
  ports = {
    kafka: await freePort(),
    controller: await freePort(),
    verifier: await freePort(),
    aggregator: await freePort(),
  };
  await startBroker();
  await ensureTopics(createKafka({ brokers: broker.brokers, clientId: 'outage-test' }));
  ctx = await createTestContext('kafka_outage', {
    KAFKA_BROKERS: broker.brokers.join(','),
    VERIFIER_PORT: String(ports.verifier),
    AGGREGATOR_PORT: String(ports.aggregator),
    EVENT_BUFFER_MAX: '500', // so most of the outage's events go to the disk spool
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  await broker?.stop();
  await ctx?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const start = async (name: 'verifier' | 'aggregator') => {
  const service = await startService(name, ctx.env, name === 'verifier' ? ports.verifier : ports.aggregator);
  running.push(service);
  return service;
};

async function counted(keyId: string): Promise<number> {
  const [row] = await ctx.database.db
    .select({ total: sql<number>`coalesce(sum(total), 0)::int` })
    .from(usageBuckets)
    .where(and(eq(usageBuckets.keyId, keyId), eq(usageBuckets.granularity, 'day')));
  return row!.total;
}

/** Messages in auth-events and how far the aggregator has applied them. */
async function progress() {
  const admin = createKafka({ brokers: broker.brokers, clientId: 'outage-test' }).admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(TOPICS.authEvents);
  await admin.disconnect();
  const [applied] = await ctx.database.db
    .select({ next: sql<string>`coalesce(sum(next_offset), 0)::text` })
    .from(consumerOffsets)
    .where(eq(consumerOffsets.groupId, ctx.config.KAFKA_GROUP_ID));
  return { inKafka: offsets.reduce((n, p) => n + Number(p.high), 0), applied: Number(applied!.next) };
}

describe('Kafka outage', () => {
  it('2,000 verifications while the broker is down: all answered, all counted once', async () => {
    const org = await ensureOrg(ctx.database.db, 'outage');
    const { key, secret } = await issueKey(
      ctx.database.db,
      org.id,
      newKeySchema.parse({
        name: 'busy',
        scopes: ['chat'],
        rateLimit: { limit: 1_000_000, period: 'minute' },
      }),
    );
    let verifier = await start('verifier');
    await start('aggregator');
    const url = `http://127.0.0.1:${ports.verifier}/v1/auth?scope=chat`;
    const burst = async (n: number) => {
      const statuses: number[] = [];
      for (let i = 0; i < n; i += 50) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(50, n - i) }, () =>
            fetch(url, { headers: { authorization: `Bearer ${secret}` } }),
          ),
        );
        statuses.push(...batch.map((r) => r.status));
      }
      return statuses;
    };

    expect(await burst(100)).toEqual(Array(100).fill(200));
    await waitFor('the first 100 counted', async () => (await counted(key.id)) === 100);

    await broker.stop();
    const during = await burst(2000);
    expect(during.filter((s) => s === 200)).toHaveLength(2000);
    const metrics = await (await fetch(`http://127.0.0.1:${ports.verifier}/metrics`)).text();
    const spooled = Number(/^keywatch_events_spooled_total\{[^}]*\} (\d+)/m.exec(metrics)?.[1]);
    expect(spooled).toBeGreaterThanOrEqual(1500); // past the 500 kept in memory, on disk

    // The verifier is restarted while Kafka is still away: it must hand its events to the spool.
    expect(await verifier.stop()).toBe(0);
    verifier = await start('verifier');
    expect(await burst(100)).toEqual(Array(100).fill(200));

    await startBroker();
    await waitFor('all 2,200 counted', async () => (await counted(key.id)) >= 2200, {
      timeoutMs: 90_000,
      intervalMs: 250,
    });
    // Everything in Kafka applied, and still exactly 2,200: no event lost, none counted twice.
    await waitFor(
      'the aggregator to reach the end of the topic',
      async () => {
        const p = await progress();
        return p.applied === p.inKafka;
      },
      { timeoutMs: 30_000 },
    );
    expect(await counted(key.id)).toBe(2200);
  });
});
