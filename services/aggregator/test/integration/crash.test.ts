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
  // A short session: the group hands a killed member's partitions on after 6 s, not 30.
  ctx = await createTestContext('aggregator_crash', { KAFKA_SESSION_TIMEOUT_MS: '6000' });
});
afterAll(() => ctx?.close());

const EVENTS = 200_000;
// Seeded, and printed when the test fails, so a run can be replayed.
const SEED = Number(process.env.CRASH_SEED ?? 20261122);

describe('aggregator killed with SIGKILL mid-stream', () => {
  it('ends with aggregates exactly equal to what was produced, after three kills and restarts', async () => {
    const kafka = createKafka({ brokers: ctx.config.KAFKA_BROKERS, clientId: 'crash-test' });
    const keyIds = await issueKeys(ctx.database.db, 50);
    const produced = await produceEventStream(kafka, { events: EVENTS, keyIds });
    const end = await topicEnd(kafka);
    const groupId = ctx.config.KAFKA_GROUP_ID;
    const random = seeded(SEED);
    const killedAt: number[] = [];

    for (let kill = 0; kill < 3; kill++) {
      const aggregator = await startAggregator(ctx);
      // Somewhere past where the previous run stopped, before the end.
      const from = await appliedOffsets(ctx.database.db, groupId);
      const target = from + Math.floor((end - from) * (0.1 + 0.4 * random()));
      await waitFor(
        `kill ${kill + 1} at ${target} of ${end} (seed ${SEED})`,
        async () => (await appliedOffsets(ctx.database.db, groupId)) >= target,
        { timeoutMs: 60_000, intervalMs: 20 },
      );
      await aggregator.kill();
      killedAt.push(await appliedOffsets(ctx.database.db, groupId));
    }
    expect(killedAt.every((at) => at > 0 && at < end)).toBe(true);

    const last = await startAggregator(ctx);
    try {
      await waitFor(
        'every event applied',
        async () => (await appliedOffsets(ctx.database.db, groupId)) === end,
        {
          timeoutMs: 90_000,
          intervalMs: 100,
        },
      );
    } finally {
      await last.stop();
    }

    const counted = await countedFor(ctx.database.db, produced);
    for (const granularity of ['minute', 'hour', 'day'] as const) {
      expect(counted[granularity], `${granularity} buckets (seed ${SEED})`).toEqual(produced.byKey);
    }
    expect(counted.keyless).toBe(produced.keyless);
  }, 240_000);
});

/** A small seeded generator (mulberry32). */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
