import { alerts, deliveries, ensureOrg, usageBuckets } from '@keywatch/db';
import { freePort } from '@keywatch/infra';
import { createQueues, enqueueEvaluate, type Queues } from '@keywatch/jobs';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { windowOf } from '@keywatch/rules';
import {
  createTestContext,
  FakeSlack,
  queuesIdle,
  startService,
  type TestContext,
  waitFor,
} from '@keywatch/testkit';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackFacts } from './fixtures.ts';

let ctx: TestContext;
let slack: FakeSlack;
let queues: Queues;
beforeAll(async () => {
  slack = await new FakeSlack().start();
  ctx = await createTestContext('alerter_restart', {
    SLACK_BOT_TOKEN: 'xoxb-restart-token',
    SLACK_CHANNEL: '#security',
    SLACK_API_URL: slack.url,
    ALERT_STORM_PER_MINUTE: '1000', // this is about restarts, not storms
  });
  queues = createQueues(ctx.config);
});
afterAll(async () => {
  await queues?.close();
  await slack?.stop();
  await ctx?.close();
});

const KEYS = 150;
const startAlerter = async () => {
  const port = await freePort();
  return startService('alerter', { ...ctx.env, ALERTER_PORT: String(port) }, port);
};

describe('alerter killed with SIGKILL mid-evaluation', () => {
  it('records each alert once and sends each message once, beyond what was in flight at the kill', async () => {
    const db = ctx.database.db;
    const org = await ensureOrg(db, 'restart-org');
    const keyIds: string[] = [];
    for (let i = 0; i < KEYS; i++) {
      const spec = newKeySchema.parse({
        name: `restart-${i}`,
        scopes: ['chat'],
        alerts: { highUsage: { threshold: 10, period: 'daily', warnAt: null } },
      });
      keyIds.push((await issueKey(db, org.id, spec)).key.id);
    }
    const day = windowOf('daily', new Date()).start;
    await db.insert(usageBuckets).values(
      keyIds.map((keyId) => ({
        keyId,
        granularity: 'day' as const,
        bucketStart: day,
        total: 10,
        success: 10,
        failure: 0,
      })),
    );

    const first = await startAlerter();
    for (const keyId of keyIds) await enqueueEvaluate(queues.evaluate, keyId);
    await waitFor('some alerts sent', () => slack.messages().length >= 10, { intervalMs: 5 });
    await first.kill();
    const [inFlight] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(deliveries)
      .where(eq(deliveries.status, 'sending'));
    const sentBefore = slack.messages().length;
    expect(sentBefore).toBeLessThan(KEYS); // killed mid-way

    const second = await startAlerter();
    try {
      // As the aggregator would, on the next events: every key asks again.
      for (const keyId of keyIds) await enqueueEvaluate(queues.evaluate, keyId);
      await waitFor('every key alerted', () => slack.messages().length >= KEYS, { timeoutMs: 60_000 });
      await waitFor('queues drained', () => queuesIdle(queues.evaluate, queues.deliver), {
        timeoutMs: 60_000,
      });
    } finally {
      await second.stop();
    }

    const recorded = await db.select().from(alerts).where(inArray(alerts.keyId, keyIds));
    expect(recorded).toHaveLength(KEYS);
    const perKey = new Map<string, number>();
    for (const m of slack.messages()) {
      const name = /^restart-\d+/.exec(slackFacts(m).fields.Key ?? '')?.[0];
      if (name) perKey.set(name, (perKey.get(name) ?? 0) + 1);
    }
    expect(perKey.size).toBe(KEYS);
    // A message Slack took just before the kill, but not yet recorded as sent, may go out again:
    // that is the only duplicate allowed, and there are at most as many as sends were in flight.
    const duplicates = [...perKey.values()].reduce((n, c) => n + c - 1, 0);
    expect(duplicates).toBeLessThanOrEqual(inFlight!.n);
  }, 180_000);
});
