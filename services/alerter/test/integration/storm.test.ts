import { deliveries } from '@keywatch/db';
import type { DeliverJob } from '@keywatch/jobs';
import { createLogger } from '@keywatch/log';
import { eq, sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { deliver } from '../../src/deliver.ts';
import { evaluateKey } from '../../src/evaluate.ts';
import { configuredChannels } from '../../src/workers.ts';
import { alerterTest, type IssuedKey, slackFacts } from './fixtures.ts';

// The real storm bound, and no workers: the test delivers the queued jobs itself, in order, once
// their alerts fall in one minute (a worker would send the digest only after that minute).
const test = alerterTest('alerter-storm', { stormPerMinute: 3, workers: false });

describe('alert storms of an org', () => {
  test('past the storm bound, sends the rest of the minute as one digest', async ({ alerter }) => {
    const { db, ctx, queues, slack } = alerter;
    const keys: IssuedKey[] = [];
    for (let i = 0; i < 5; i++) {
      const key = await alerter.key(
        `storm-key-${i}`,
        { highUsage: { threshold: 10, period: 'daily', warnAt: null } },
        { org: 'storm-org' },
      );
      await alerter.setDailyUsage(key.id, 10);
      const deps = { db, deliver: queues.deliver, channels: ['slack' as const], available: [], policy: {} };
      await evaluateKey(key.id, { ...deps, now: new Date() });
      keys.push(key);
    }
    // The five alerts as raised within one minute, a second apart (evaluation could straddle a minute).
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await db.execute(sql`
      update alerts a set created_at = ${minute.toISOString()}::timestamptz + n.i * interval '1 second'
      from (select id, row_number() over (order by created_at, id) as i from alerts where org_id = ${keys[0]!.orgId}) n
      where a.id = n.id`);
    const jobs = (await queues.deliver.getJobs(['waiting'])).sort((a, b) => a.timestamp - b.timestamp);
    expect(jobs).toHaveLength(5);
    const log = createLogger({ service: 'alerter-test', level: 'silent' });
    const { senders } = configuredChannels(ctx.config, log, db);
    const stormLimit = ctx.config.ALERT_STORM_PER_MINUTE;
    const results = [];
    for (const job of jobs) results.push(await deliver(job.data, db, senders, false, { stormLimit }));
    expect(results.slice(0, 3)).toEqual([{ outcome: 'sent' }, { outcome: 'sent' }, { outcome: 'sent' }]);
    const digests = results.slice(3) as { outcome: 'grouped'; digest: DeliverJob }[];
    expect(digests).toHaveLength(2);
    expect(digests[0]).toEqual(digests[1]); // one digest for the minute
    expect(digests[0]!.digest).toMatchObject({ kind: 'digest', orgId: keys[0]!.orgId, channel: 'slack' });
    expect(await deliver(digests[0]!.digest, db, senders, false)).toEqual({ outcome: 'sent' });
    // Asked again, the digest is not sent twice.
    expect(await deliver(digests[0]!.digest, db, senders, false)).toEqual({ outcome: 'already_sent' });

    const statuses = await Promise.all(keys.map(async (k) => (await alerter.deliveriesOf(k.id))[0]!.status));
    expect(statuses).toEqual(['sent', 'sent', 'sent', 'grouped', 'grouped']);
    expect(
      await db
        .select({ channel: deliveries.channel, status: deliveries.status })
        .from(deliveries)
        .where(eq(deliveries.kind, 'digest')),
    ).toEqual([{ channel: 'slack', status: 'sent' }]);

    // Slack saw one message for each alert sent, and one digest naming the grouped keys.
    expect(slack.messages()).toHaveLength(4);
    expect(keys.map((k) => alerter.slackAbout(k.name).length)).toEqual([1, 1, 1, 0, 0]);
    const [digest, ...more] = slack
      .messages()
      .filter((m) => !keys.some((k) => String(m.body.text).includes(k.name)));
    expect(more).toHaveLength(0);
    const listed = Object.values(slackFacts(digest!).fields).join('\n');
    expect(keys.map((k) => listed.includes(k.name))).toEqual([false, false, false, true, true]);
  });
});
