import { alerts, deliveries, keylessFailures } from '@keywatch/db';
import { createQueues, type DeliverJob, type Queues } from '@keywatch/jobs';
import { createLogger } from '@keywatch/log';
import { emailSender } from '@keywatch/notify';
import { createTestContext, FakeSlack, type SlackCall, type TestContext } from '@keywatch/testkit';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateSource } from '../../src/credential-stuffing.ts';
import { deliver } from '../../src/deliver.ts';
import { configuredChannels } from '../../src/workers.ts';
import { slackFacts } from './fixtures.ts';

let ctx: TestContext;
let slack: FakeSlack;
let queues: Queues;

beforeAll(async () => {
  slack = await new FakeSlack().start();
  ctx = await createTestContext('source_storm', {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_CHANNEL: '#security',
    SLACK_API_URL: slack.url,
    ALERT_STORM_PER_MINUTE: '2',
  });
  queues = createQueues(ctx.config);
});
afterAll(async () => {
  await queues?.deliver.obliterate({ force: true });
  await queues?.close();
  await slack?.stop();
  await ctx?.close();
});

const log = createLogger({ service: 'alerter-test', level: 'silent' });

/** Credential stuffing from each IP (50 unknown keys this minute), alerted and queued on Slack. */
async function stuffingFrom(ips: string[]): Promise<DeliverJob[]> {
  const now = new Date();
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  for (const ip of ips) {
    await ctx.database.db.insert(keylessFailures).values({ ip, bucketStart: minute, count: 50 });
    await evaluateSource(ip, { db: ctx.database.db, deliver: queues.deliver, channels: ['slack'], now });
  }
  // Raised within one minute, a second apart (evaluation could straddle a minute).
  await ctx.database.db.execute(sql`
    update alerts a set created_at = ${minute.toISOString()}::timestamptz + n.i * interval '1 second'
    from (select id, row_number() over (order by created_at, id) as i from alerts where key_id is null) n
    where a.id = n.id`);
  const jobs = await queues.deliver.getJobs(['waiting']);
  return jobs.sort((a, b) => a.timestamp - b.timestamp).map((j) => j.data);
}

describe('keyless alerts (credential stuffing) under the storm bound', () => {
  it('past ALERT_STORM_PER_MINUTE, groups the rest of the minute into one digest per channel', async () => {
    const ips = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5'];
    const jobs = await stuffingFrom(ips);
    expect(jobs).toHaveLength(5);
    const { senders } = configuredChannels(ctx.config, log, ctx.database.db);
    const stormLimit = ctx.config.ALERT_STORM_PER_MINUTE;
    const results = [];
    for (const job of jobs) results.push(await deliver(job, ctx.database.db, senders, false, { stormLimit }));
    expect(results.slice(0, 2)).toEqual([{ outcome: 'sent' }, { outcome: 'sent' }]);
    const grouped = results.slice(2) as { outcome: 'grouped'; digest: DeliverJob }[];
    expect(grouped.map((r) => r.digest)).toEqual([
      grouped[0]!.digest,
      grouped[0]!.digest,
      grouped[0]!.digest,
    ]);
    expect(grouped[0]!.digest).toMatchObject({ kind: 'digest', orgId: null, channel: 'slack' });
    expect(await deliver(grouped[0]!.digest, ctx.database.db, senders, false)).toEqual({ outcome: 'sent' });
    expect(await deliver(grouped[0]!.digest, ctx.database.db, senders, false)).toEqual({
      outcome: 'already_sent',
    });

    // Slack saw one message for each source alerted alone, then the digest naming the three grouped
    // sources, oldest first: the sources each message's fields name.
    const sourcesIn = (m: SlackCall) => [
      ...new Set(
        Object.values(slackFacts(m).fields)
          .join('\n')
          .match(/192\.0\.2\.\d+/g),
      ),
    ];
    expect(slack.messages().map(sourcesIn)).toEqual([
      ['192.0.2.1'],
      ['192.0.2.2'],
      ['192.0.2.3', '192.0.2.4', '192.0.2.5'],
    ]);
  });
});

describe('delivery errors a tenant reads', () => {
  it('say what went wrong, not where the installation sends from', async () => {
    const [alert] = await ctx.database.db
      .select({ id: alerts.id })
      .from(alerts)
      .where(and(isNull(alerts.keyId), eq(alerts.subject, 'credentialStuffing:192.0.2.1')));
    // Nothing listens on port 9 of this host.
    const email = emailSender({
      smtpUrl: 'smtp://127.0.0.1:9',
      from: 'keywatch@example.com',
      to: 'sec@example.com',
    });
    const { senders } = configuredChannels(ctx.config, log, ctx.database.db);
    slack.reply({ status: 200, body: { ok: false, error: 'channel_not_found' } });
    for (const [channel, to] of [
      ['email', undefined],
      ['slack', '#gone'],
    ] as const) {
      const job: DeliverJob = { kind: 'alert', alertId: alert!.id, channel, ...(to ? { to } : {}) };
      await expect(deliver(job, ctx.database.db, { ...senders, email }, true)).rejects.toThrow();
    }
    const failed = await ctx.database.db
      .select({ channel: deliveries.channel, status: deliveries.status, error: deliveries.error })
      .from(deliveries)
      .where(and(eq(deliveries.alertId, alert!.id), eq(deliveries.status, 'failed')));
    expect(failed.sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([
      { channel: 'email', status: 'failed', error: 'smtp: could not connect to the mail server' },
      { channel: 'slack', status: 'failed', error: 'slack: channel_not_found' },
    ]);
  });
});
