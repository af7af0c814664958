import { createKafka } from '@keywatch/events';
import {
  appliedOffsets,
  countedFor,
  createTestContext,
  issueKeys,
  produceEventStream,
  startAggregator,
  type TestContext,
  topicEnd,
  waitFor,
} from '@keywatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext('aggregator_rebalance', { KAFKA_SESSION_TIMEOUT_MS: '6000' });
});
afterAll(() => ctx?.close());

const start = () => startAggregator(ctx);

describe('two aggregators in one group, one joining and one leaving mid-stream', () => {
  it('counts every event exactly once', async () => {
    const kafka = createKafka({ brokers: ctx.config.KAFKA_BROKERS, clientId: 'rebalance-test' });
    const keyIds = await issueKeys(ctx.database.db, 40);
    const groupId = ctx.config.KAFKA_GROUP_ID;
    const before = await topicEnd(kafka);
    const applied = () => appliedOffsets(ctx.database.db, groupId);

    const first = await start();
    let second: Awaited<ReturnType<typeof start>> | undefined;
    try {
      // Events keep arriving while the group changes twice.
      const producing = produceEventStream(kafka, { events: 120_000, keyIds });
      await waitFor('the first member under way', async () => (await applied()) > before + 20_000, {
        timeoutMs: 60_000,
        intervalMs: 20,
      });
      second = await start();
      await waitFor('both members applying', async () => (await applied()) > before + 60_000, {
        timeoutMs: 60_000,
        intervalMs: 20,
      });
      await first.stop();
      const produced = await producing;
      const end = await topicEnd(kafka);
      await waitFor('every event applied', async () => (await applied()) === end, {
        timeoutMs: 90_000,
        intervalMs: 100,
      });

      const counted = await countedFor(ctx.database.db, produced);
      for (const granularity of ['minute', 'hour', 'day'] as const) {
        expect(counted[granularity], `${granularity} buckets`).toEqual(produced.byKey);
      }
      expect(counted.keyless).toBe(produced.keyless);
    } finally {
      await first.stop();
      await second?.stop();
    }
  }, 180_000);
});
