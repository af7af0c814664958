import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  alerts,
  apiKeys,
  deliveries,
  ensureOrg,
  issueKey,
  keyCountries,
  keyHourlyIps,
  keylessFailures,
  rotateKey,
  rotateWebhookSecret,
  silences,
  usageBuckets,
  usageCountryCounts,
} from '@keywatch/db';
import {
  createQueues,
  type DeliverJob,
  enqueueEvaluate,
  enqueueSourceEvaluate,
  type Queues,
} from '@keywatch/jobs';
import { newKeySchema } from '@keywatch/keys';
import { createLogger } from '@keywatch/log';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from '@keywatch/notify';
import { windowOf } from '@keywatch/rules';
import {
  createTestContext,
  FakeSlack,
  queuesIdle,
  SmtpSink,
  type TestContext,
  waitFor,
} from '@keywatch/testkit';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveEndedSourceAlerts, sourcesOverThreshold } from '../../src/credential-stuffing.ts';
import { deliver } from '../../src/deliver.ts';
import { keysWithEndedWindows } from '../../src/alerts-repository.ts';
import { evaluateKey } from '../../src/evaluate.ts';
import { type AlerterWorkers, configuredChannels } from '../../src/workers.ts';
import { startAlerter } from './harness.ts';

let ctx: TestContext;
let slack: FakeSlack;
let queues: Queues;
let workers: AlerterWorkers;

beforeAll(async () => {
  slack = await new FakeSlack().start();
  ctx = await createTestContext('alerter', {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_CHANNEL: '#security',
    SLACK_API_URL: slack.url,
    // The webhook receivers here listen on loopback.
    WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
    // Many keys of one org alert within a minute here: storm control has its own test.
    ALERT_STORM_PER_MINUTE: '1000',
    PUBLIC_URL: 'https://keywatch.example.com',
  });
  const log = createLogger({ service: 'alerter-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  ({ queues, workers } = startAlerter(ctx, log));
});
afterAll(async () => {
  await workers?.close();
  await queues?.close();
  await slack?.stop();
  await ctx?.close();
});

async function keyWithSettings(name: string, alertSettings: Record<string, unknown>) {
  const org = await ensureOrg(ctx.database.db, 'alerter-org');
  const spec = newKeySchema.parse({ name, scopes: ['chat'], alerts: alertSettings });
  return (await issueKey(ctx.database.db, org.id, spec)).key;
}

/** Sets today's count of a key, as the aggregator would have left it. */
async function setDailyUsage(keyId: string, requests: number, failures: number) {
  const day = windowOf('daily', new Date());
  await ctx.database.db
    .insert(usageBuckets)
    .values({
      keyId,
      granularity: 'day',
      bucketStart: day.start,
      total: requests,
      success: requests - failures,
      failure: failures,
    })
    .onConflictDoUpdate({
      target: [usageBuckets.keyId, usageBuckets.granularity, usageBuckets.bucketStart],
      set: { total: requests, success: requests - failures, failure: failures },
    });
}

/** A key whose daily count already stands at `requests`. */
async function keyWithDailyUsage(name: string, threshold: number, requests: number) {
  const key = await keyWithSettings(name, { highUsage: { threshold, period: 'daily' } });
  await setDailyUsage(key.id, requests, 0);
  return key;
}

const today = () => new Date().toISOString().slice(0, 10);

const messagesAbout = (name: string) => slack.messages().filter((m) => String(m.body.text).includes(name));
const drained = () => waitFor('queues drained', () => queuesIdle(queues.evaluate, queues.deliver));
const attemptsAbout = (name: string) => slack.calls.filter((c) => String(c.body.text).includes(name));
async function deliveryFor(keyId: string) {
  const [alert] = await ctx.database.db.select().from(alerts).where(eq(alerts.keyId, keyId));
  if (!alert) return undefined;
  const [delivery] = await ctx.database.db.select().from(deliveries).where(eq(deliveries.alertId, alert.id));
  return delivery;
}

describe('alerter', () => {
  it('sends one Slack message for a crossing however often the key is evaluated', async () => {
    const key = await keyWithDailyUsage('crossing-key', 20, 21);
    for (let i = 0; i < 5; i++) await enqueueEvaluate(queues.evaluate, key.id);
    const [message] = await waitFor(
      'a Slack message',
      () => messagesAbout('crossing-key').length > 0 && messagesAbout('crossing-key'),
    );
    expect(message!.token).toBe('xoxb-test-token');
    expect(message!.body.channel).toBe('#security');
    expect(message!.body.text).toContain(
      `High usage: crossing-key (${key.prefix}…, org alerter-org): 21 requests against a threshold of 20`,
    );
    expect(JSON.stringify(message!.body.blocks)).toContain('21 requests against a threshold of 20');
    expect(JSON.stringify(message!.body.blocks)).toContain(
      `https://keywatch.example.com/api/api-keys/${key.id}/usage`,
    );
    // Evaluate again after the delivery, then wait for the queues to drain: still one message.
    await enqueueEvaluate(queues.evaluate, key.id);
    await drained();
    expect(messagesAbout('crossing-key')).toHaveLength(1);
  });

  it('stays quiet below the warning level', async () => {
    const quiet = await keyWithDailyUsage('quiet-key', 20, 15);
    const loud = await keyWithDailyUsage('loud-key', 20, 20);
    await enqueueEvaluate(queues.evaluate, quiet.id);
    await enqueueEvaluate(queues.evaluate, loud.id);
    await drained();
    expect(messagesAbout('loud-key')).toHaveLength(1);
    expect(messagesAbout('quiet-key')).toHaveLength(0);
  });

  it('warns at 80 % of the threshold, then sends the critical alert at the threshold, once each', async () => {
    const key = await keyWithDailyUsage('warned-key', 20, 16);
    await enqueueEvaluate(queues.evaluate, key.id);
    await drained();
    expect(messagesAbout('warned-key').map((m) => String(m.body.text))).toEqual([
      `High usage (warning): warned-key (${key.prefix}…, org alerter-org): 16 requests, past the warning level of 16 (threshold 20) in ${today()} UTC (day)`,
    ]);
    await setDailyUsage(key.id, 20, 0);
    await enqueueEvaluate(queues.evaluate, key.id);
    await drained();
    await enqueueEvaluate(queues.evaluate, key.id);
    await drained();
    const texts = messagesAbout('warned-key').map((m) => String(m.body.text));
    expect(texts).toHaveLength(2);
    expect(texts[1]).toContain('High usage: warned-key');
    const recorded = await ctx.database.db.select().from(alerts).where(eq(alerts.keyId, key.id));
    expect(recorded.map((a) => [a.subject, a.severity]).sort()).toEqual([
      ['critical', 'critical'],
      ['warning', 'warning'],
    ]);
  });

  it('names the top countries of the window', async () => {
    const key = await keyWithDailyUsage('travelled-key', 10, 12);
    const day = windowOf('daily', new Date()).start;
    await ctx.database.db.insert(usageCountryCounts).values([
      { keyId: key.id, granularity: 'day', bucketStart: day, country: 'US', count: 2 },
      { keyId: key.id, granularity: 'day', bucketStart: day, country: 'GB', count: 9 },
      { keyId: key.id, granularity: 'day', bucketStart: day, country: 'NL', count: 1 },
    ]);
    await enqueueEvaluate(queues.evaluate, key.id);
    await drained();
    const [message] = messagesAbout('travelled-key');
    expect(JSON.stringify(message!.body.blocks)).toContain('*Top countries*\\nGB 9, US 2, NL 1');
  });

  it('alerts on failures by count and by rate', async () => {
    const key = await keyWithSettings('failing-key', {
      failures: { threshold: 50, period: 'daily', rate: 0.5, minRequests: 10 },
    });
    await setDailyUsage(key.id, 40, 30);
    await enqueueEvaluate(queues.evaluate, key.id);
    await drained();
    expect(messagesAbout('failing-key').map((m) => String(m.body.text))).toEqual([
      `Many failures: failing-key (${key.prefix}…, org alerter-org): 75 % of 40 requests failed, against a threshold of 50 % in ${today()} UTC (day)`,
    ]);
    await setDailyUsage(key.id, 200, 60);
    await enqueueEvaluate(queues.evaluate, key.id);
    await drained();
    expect(messagesAbout('failing-key').map((m) => String(m.body.text))[1]).toContain(
      '60 failed requests against a threshold of 50',
    );
  });

  it('flags a new country and many IPs in an hour, after the learning week, each once', async () => {
    const key = await keyWithSettings('roaming-key', { unusualActivity: true });
    const db = ctx.database.db;
    await db
      .update(apiKeys)
      .set({ createdAt: new Date(Date.now() - 30 * 86_400_000) })
      .where(eq(apiKeys.id, key.id));
    const hour = windowOf('hourly', new Date()).start;
    await db
      .insert(usageBuckets)
      .values({ keyId: key.id, granularity: 'hour', bucketStart: hour, total: 25, success: 25, failure: 0 });
    await db.insert(keyCountries).values([
      {
        keyId: key.id,
        country: 'GB',
        firstSeenAt: new Date(Date.now() - 20 * 86_400_000),
        lastSeenAt: new Date(),
        count: 900,
      },
      { keyId: key.id, country: 'BR', firstSeenAt: new Date(), lastSeenAt: new Date(), count: 1 },
    ]);
    await db
      .insert(keyHourlyIps)
      .values(Array.from({ length: 21 }, (_, i) => ({ keyId: key.id, hourStart: hour, ip: `192.0.2.${i}` })));
    // Used within the last hour before this one: not a dormant key coming back.
    await db.insert(usageBuckets).values({
      keyId: key.id,
      granularity: 'hour',
      bucketStart: new Date(hour.getTime() - 3_600_000),
      total: 25,
      success: 25,
      failure: 0,
    });
    for (let i = 0; i < 3; i++) {
      await enqueueEvaluate(queues.evaluate, key.id);
      await drained();
    }
    const texts = messagesAbout('roaming-key')
      .map((m) => String(m.body.text))
      .sort();
    const where = `(${key.prefix}…, org alerter-org)`;
    const inHour = `in ${hour.toISOString().slice(0, 13)}:00 UTC (hour)`;
    expect(texts).toEqual([
      `Unusual activity: roaming-key ${where}: first use from a new country: BR ${inHour}`,
      `Unusual activity: roaming-key ${where}: used from 21 IP addresses within an hour ${inHour}`,
    ]);
  });

  it('records but does not send an alert a silence mutes', async () => {
    const muted = await keyWithDailyUsage('silenced-key', 10, 10);
    await ctx.database.db.insert(silences).values({
      orgId: muted.orgId,
      keyId: muted.id,
      rule: 'highUsage',
      until: new Date(Date.now() + 3_600_000),
      reason: 'planned load test',
    });
    const loud = await keyWithDailyUsage('heard-key', 10, 10);
    await enqueueEvaluate(queues.evaluate, muted.id);
    await enqueueEvaluate(queues.evaluate, loud.id);
    await drained();
    expect(messagesAbout('heard-key')).toHaveLength(1);
    expect(messagesAbout('silenced-key')).toHaveLength(0);
    expect(await deliveryFor(muted.id)).toMatchObject({
      status: 'silenced',
      error: expect.stringContaining('planned load test'),
    });
  });

  it('alerts once on credential stuffing (50 unknown keys from one IP in 10 minutes) to the default channel', async () => {
    const ip = '198.51.100.200';
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const unknownKeys = (count: number, minutesAgo: number) =>
      ctx.database.db
        .insert(keylessFailures)
        .values({ ip, bucketStart: new Date(minute.getTime() - minutesAgo * 60_000), count })
        .onConflictDoUpdate({
          target: [keylessFailures.ip, keylessFailures.bucketStart],
          set: { count: sql`${keylessFailures.count} + ${count}` },
        });
    const aboutIp = () => slack.messages().filter((m) => String(m.body.text).includes(ip));
    await unknownKeys(30, 12); // too long ago to count
    await unknownKeys(29, 3);
    await unknownKeys(20, 0);
    await enqueueSourceEvaluate(queues.evaluate, ip);
    await drained();
    expect(aboutIp()).toHaveLength(0);
    expect(await sourcesOverThreshold(ctx.database.db, new Date())).not.toContain(ip);

    await unknownKeys(1, 0);
    expect(await sourcesOverThreshold(ctx.database.db, new Date())).toContain(ip);
    await enqueueSourceEvaluate(queues.evaluate, ip);
    await drained();
    await enqueueSourceEvaluate(queues.evaluate, ip);
    await drained();
    const [message] = aboutIp();
    expect(aboutIp()).toHaveLength(1);
    expect(message!.body.channel).toBe('#security');
    expect(String(message!.body.text)).toContain(`Credential stuffing: ${ip}`);
    expect(String(message!.body.text)).toContain('50 unknown API keys presented');
    const recorded = await ctx.database.db
      .select()
      .from(alerts)
      .where(and(isNull(alerts.keyId), eq(alerts.subject, `credentialStuffing:${ip}`)));
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ orgId: null, rule: 'unusualActivity', value: 50, state: 'firing' });
    expect(recorded[0]!.details).toMatchObject({ signal: 'credentialStuffing', ip, minutes: 10 });

    // The hour over, the alert resolves (quietly: no settings ask for a resolution message).
    const hourEnd = windowOf('hourly', recorded[0]!.windowStart).end;
    expect(await resolveEndedSourceAlerts(ctx.database.db, hourEnd)).toBeGreaterThanOrEqual(1);
    const [after] = await ctx.database.db.select().from(alerts).where(eq(alerts.id, recorded[0]!.id));
    expect(after!.state).toBe('resolved');
  });

  it("sends to the key's own Slack channel when its settings name one", async () => {
    const key = await keyWithSettings('routed-key', {
      highUsage: { threshold: 10, period: 'daily' },
      channels: { slack: '#payments-oncall' },
    });
    await setDailyUsage(key.id, 10, 0);
    await enqueueEvaluate(queues.evaluate, key.id);
    await drained();
    expect(messagesAbout('routed-key').map((m) => m.body.channel)).toEqual(['#payments-oncall']);
  });

  it("mails a personal key's owner as well", async () => {
    const sink = await new SmtpSink().start();
    const org = await ensureOrg(ctx.database.db, 'alerter-org');
    const spec = newKeySchema.parse({
      name: 'owned-key',
      scopes: ['chat'],
      type: 'personal',
      ownerEmail: 'owner@example.com',
      alerts: { highUsage: { threshold: 10, period: 'daily' } },
    });
    const { key } = await issueKey(ctx.database.db, org.id, spec);
    await setDailyUsage(key.id, 10, 0);
    // Its own queue, so that the running workers (Slack only) do not take these jobs.
    const own = createQueues({ ...ctx.config, REDIS_PREFIX: `${ctx.config.REDIS_PREFIX}:owner` });
    try {
      await evaluateKey(key.id, {
        db: ctx.database.db,
        deliver: own.deliver,
        channels: ['slack'],
        available: ['slack', 'email'],
        policy: {},
        now: new Date(),
      });
      const jobs = await own.deliver.getJobs(['waiting']);
      expect(jobs.map((j) => [j.data.channel, j.data.to]).sort()).toEqual([
        ['email', 'owner@example.com'],
        ['slack', undefined],
      ]);
      const log = createLogger({ service: 'alerter-test', level: 'silent' });
      const config = { ...ctx.config, SMTP_URL: sink.url, ALERT_EMAIL_TO: 'security@example.com' };
      const { senders } = configuredChannels(config, log, ctx.database.db);
      const mailJob = jobs.find((j) => j.data.channel === 'email')!;
      expect(await deliver(mailJob.data, ctx.database.db, senders, false)).toEqual({ outcome: 'sent' });
      expect(sink.mails.map((m) => m.to)).toEqual([['owner@example.com']]);
      expect(sink.mails[0]!.raw).toContain('High usage: owned-key');
    } finally {
      await own.deliver.obliterate({ force: true });
      await own.close();
      await sink.stop();
    }
  });

  it('posts signed JSON to the webhook a key names, and retries a receiver 503', async () => {
    const received: { body: string; signature: string | undefined; timestamp: string | undefined }[] = [];
    let failNext = true;
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({
          body,
          signature: req.headers[SIGNATURE_HEADER] as string | undefined,
          timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined,
        });
        res.writeHead(failNext ? 503 : 204).end();
        failNext = false;
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = receiver.address() as AddressInfo;
      const org = await ensureOrg(ctx.database.db, 'alerter-org');
      const secret = await rotateWebhookSecret(ctx.database.db, org.id, null);
      const key = await keyWithSettings('hooked-key', {
        highUsage: { threshold: 10, period: 'daily' },
        channels: { webhook: `http://127.0.0.1:${port}/keywatch` },
      });
      await setDailyUsage(key.id, 12, 0);
      await enqueueEvaluate(queues.evaluate, key.id);
      await waitFor('the webhook delivered', async () => (await deliveryFor(key.id))?.status === 'sent', {
        timeoutMs: 20_000,
      });
      expect(received).toHaveLength(2);
      const last = received[1]!;
      expect(verifyWebhook(secret, last, last.body)).toBe(true);
      expect(JSON.parse(last.body)).toMatchObject({
        type: 'keywatch.notification',
        severity: 'critical',
        summary: expect.stringContaining('hooked-key'),
      });
      expect(messagesAbout('hooked-key')).toHaveLength(0); // the key named a webhook, not Slack
    } finally {
      receiver.close();
    }
  });

  it('resolves an alert when its window ends, and says so where the rule asks', async () => {
    const key = await keyWithSettings('resolving-key', {
      highUsage: { threshold: 5, period: 'hourly', warnAt: null, notifyResolved: true },
    });
    const now = new Date();
    const hour = windowOf('hourly', now).start;
    await ctx.database.db
      .insert(usageBuckets)
      .values({ keyId: key.id, granularity: 'hour', bucketStart: hour, total: 5, success: 5, failure: 0 });
    const deps = {
      db: ctx.database.db,
      deliver: queues.deliver,
      channels: ['slack' as const],
      available: ['slack' as const],
      policy: {},
    };
    const fired = await evaluateKey(key.id, { ...deps, now });
    expect(fired.firing).toHaveLength(1);
    await drained();
    // Two hours on, the hour has ended: the next evaluation (or the sweep) resolves it, once.
    const later = new Date(hour.getTime() + 2 * 3_600_000);
    expect(await keysWithEndedWindows(ctx.database.db, later)).toContain(key.id);
    expect((await evaluateKey(key.id, { ...deps, now: later })).resolved).toEqual(fired.firing);
    expect((await evaluateKey(key.id, { ...deps, now: later })).resolved).toEqual([]);
    await drained();
    const texts = messagesAbout('resolving-key').map((m) => String(m.body.text));
    expect(texts).toHaveLength(2);
    expect(texts[1]).toMatch(/^Resolved: High usage: resolving-key .*; the window has ended$/);
    const [stored] = await ctx.database.db.select().from(alerts).where(eq(alerts.keyId, key.id));
    expect(stored).toMatchObject({ state: 'resolved', resolvedAt: later });
    expect(stored!.details).toMatchObject({ resolution: 'window_ended' });
    expect(await keysWithEndedWindows(ctx.database.db, later)).not.toContain(key.id);
  });

  it('past the storm bound, sends the rest of the minute as one digest', async () => {
    const org = await ensureOrg(ctx.database.db, 'storm-org');
    const own = createQueues({ ...ctx.config, REDIS_PREFIX: `${ctx.config.REDIS_PREFIX}:storm` });
    try {
      for (let i = 0; i < 5; i++) {
        const spec = newKeySchema.parse({
          name: `storm-key-${i}`,
          scopes: ['chat'],
          alerts: { highUsage: { threshold: 10, period: 'daily', warnAt: null } },
        });
        const { key } = await issueKey(ctx.database.db, org.id, spec);
        await setDailyUsage(key.id, 10, 0);
        const deps = {
          db: ctx.database.db,
          deliver: own.deliver,
          channels: ['slack' as const],
          available: [],
          policy: {},
        };
        await evaluateKey(key.id, { ...deps, now: new Date() });
      }
      // The five alerts as raised within one minute, a second apart (evaluation could straddle a minute).
      const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
      await ctx.database.db.execute(sql`
        update alerts a set created_at = ${minute.toISOString()}::timestamptz + n.i * interval '1 second'
        from (select id, row_number() over (order by created_at, id) as i from alerts where org_id = ${org.id}) n
        where a.id = n.id`);
      const jobs = (await own.deliver.getJobs(['waiting'])).sort((a, b) => a.timestamp - b.timestamp);
      const log = createLogger({ service: 'alerter-test', level: 'silent' });
      const { senders } = configuredChannels(ctx.config, log, ctx.database.db);
      const results = [];
      for (const job of jobs)
        results.push(await deliver(job.data, ctx.database.db, senders, false, { stormLimit: 3 }));
      expect(results.slice(0, 3)).toEqual([{ outcome: 'sent' }, { outcome: 'sent' }, { outcome: 'sent' }]);
      const digests = results.slice(3) as { outcome: 'grouped'; digest: DeliverJob }[];
      expect(digests).toHaveLength(2);
      expect(digests[0]).toEqual(digests[1]); // one digest for the minute
      expect(await deliver(digests[0]!.digest, ctx.database.db, senders, false)).toEqual({ outcome: 'sent' });
      const texts = slack
        .messages()
        .map((m) => String(m.body.text))
        .filter((t) => t.includes('storm-'));
      expect(texts.filter((t) => t.startsWith('High usage: storm-key-'))).toHaveLength(3);
      expect(texts.filter((t) => t.startsWith('Alert storm: 2 more alerts in org storm-org'))).toHaveLength(
        1,
      );
      // Asked again, the digest is not sent twice.
      expect(await deliver(digests[0]!.digest, ctx.database.db, senders, false)).toEqual({
        outcome: 'already_sent',
      });
    } finally {
      await own.deliver.obliterate({ force: true });
      await own.close();
    }
  });

  it('retries Slack 500s and sends exactly one message', async () => {
    slack.reply({ status: 500, body: { ok: false } }, { status: 500, body: { ok: false } });
    const key = await keyWithDailyUsage('flaky-slack-key', 10, 10);
    await enqueueEvaluate(queues.evaluate, key.id);
    await waitFor('sent after retries', () => messagesAbout('flaky-slack-key').length === 1, {
      timeoutMs: 30_000,
    });
    expect(attemptsAbout('flaky-slack-key')).toHaveLength(3);
    expect(await deliveryFor(key.id)).toMatchObject({ status: 'sent', attempts: 3, error: null });
  });

  it("waits as long as Slack's 429 Retry-After asks, then sends once", async () => {
    // 2 s, longer than the first retry's backoff (1 s): only obeying Retry-After waits this long.
    slack.reply({ status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '2' } });
    const key = await keyWithDailyUsage('throttled-key', 10, 10);
    await enqueueEvaluate(queues.evaluate, key.id);
    await waitFor('the refused attempt', () => attemptsAbout('throttled-key').length === 1, {
      intervalMs: 10,
    });
    const refusedAt = Date.now();
    await waitFor('sent after the wait', () => messagesAbout('throttled-key').length === 1, {
      timeoutMs: 15_000,
      intervalMs: 10,
    });
    expect(Date.now() - refusedAt).toBeGreaterThanOrEqual(1900);
    await drained();
    expect(attemptsAbout('throttled-key')).toHaveLength(2);
    expect(await deliveryFor(key.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('fails at once with the reason on invalid_auth, without retrying', async () => {
    slack.reply({ status: 200, body: { ok: false, error: 'invalid_auth' } });
    const key = await keyWithDailyUsage('bad-token-key', 10, 15);
    await enqueueEvaluate(queues.evaluate, key.id);
    const failed = await waitFor('delivery marked failed', async () => {
      const delivery = await deliveryFor(key.id);
      return delivery?.status === 'failed' && delivery;
    });
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'slack: invalid_auth',
      channel: 'slack',
    });
    // Give a wrongly scheduled retry time to show itself: the deliver queue must hold nothing for it.
    expect(await queues.deliver.getJobCounts('delayed', 'waiting', 'active')).toEqual({
      delayed: 0,
      waiting: 0,
      active: 0,
    });
    expect(attemptsAbout('bad-token-key')).toHaveLength(1);
  });

  it('emails the alert (text and HTML) when SMTP is configured', async () => {
    const sink = await new SmtpSink().start();
    const log = createLogger({ service: 'alerter-test', level: 'silent' });
    const config = { ...ctx.config, SMTP_URL: sink.url, ALERT_EMAIL_TO: 'security@example.com' };
    const { channels, senders } = configuredChannels(config, log, ctx.database.db);
    expect(channels).toEqual(['slack', 'email']);
    const key = await keyWithDailyUsage('mailed-key', 10, 12);
    const alertId = await waitFor('the alert to be recorded', async () => {
      await evaluateKey(key.id, {
        db: ctx.database.db,
        deliver: queues.deliver,
        channels: [],
        available: [],
        policy: {},
        now: new Date(),
      });
      const [alert] = await ctx.database.db.select().from(alerts).where(eq(alerts.keyId, key.id));
      return alert?.id;
    });
    expect(
      await deliver({ kind: 'alert', alertId, channel: 'email' }, ctx.database.db, senders, false),
    ).toEqual({ outcome: 'sent' });
    expect(sink.mails).toHaveLength(1);
    const [mail] = sink.mails;
    expect(mail!.to).toEqual(['security@example.com']);
    expect(mail!.raw).toContain('Subject: [keywatch critical] High usage: mailed-key');
    expect(mail!.raw).toContain('text/plain');
    expect(mail!.raw).toContain('text/html');
    expect(mail!.decoded).toContain('12 requests against a threshold of 10');
    expect(mail!.decoded).toContain(
      '<th align="left">Value</th><td>12 requests against a threshold of 10</td>',
    );
    // Sending again is a no-op: the delivery is recorded as sent.
    expect(
      await deliver({ kind: 'alert', alertId, channel: 'email' }, ctx.database.db, senders, false),
    ).toEqual({ outcome: 'already_sent' });
    expect(sink.mails).toHaveLength(1);
    await sink.stop();
  });

  it("delivers rotation reminders to a personal key's owner, and cancels one whose key was rotated since", async () => {
    const sink = await new SmtpSink().start();
    const log = createLogger({ service: 'alerter-test', level: 'silent' });
    const config = { ...ctx.config, SMTP_URL: sink.url, ALERT_EMAIL_TO: 'security@example.com' };
    const { senders } = configuredChannels(config, log, ctx.database.db);
    const db = ctx.database.db;
    const org = await ensureOrg(db, 'alerter-org');
    const owned = await issueKey(
      db,
      org.id,
      newKeySchema.parse({
        name: 'reminded-key',
        scopes: ['chat'],
        type: 'personal',
        ownerEmail: 'owner@example.com',
      }),
    );
    const expiresAt = new Date(Date.now() + 6.5 * 86_400_000);
    const reminder = (keyId: string, over: Partial<DeliverJob> = {}): DeliverJob =>
      ({
        kind: 'rotation_reminder',
        keyId,
        channel: 'email',
        reminder: 'expiry',
        at: expiresAt.toISOString(),
        sequence: 7,
        asOf: new Date().toISOString(),
        ...over,
      }) as DeliverJob;
    expect(await deliver(reminder(owned.key.id, { to: 'owner@example.com' }), db, senders, false)).toEqual({
      outcome: 'sent',
    });
    expect(sink.mails.map((m) => m.to)).toEqual([['owner@example.com']]);
    expect(sink.mails[0]!.raw).toContain('Subject: [keywatch warning] API key expires soon: reminded-key');
    expect(sink.mails[0]!.decoded).toContain(`expires on ${expiresAt.toISOString().slice(0, 10)}, in 7 days`);

    const stale = await issueKey(
      db,
      org.id,
      newKeySchema.parse({ name: 'stale-reminder-key', scopes: ['chat'] }),
    );
    const queued = reminder(stale.key.id, {
      channel: 'slack',
      reminder: 'rotation',
      sequence: 0,
    } as Partial<DeliverJob>);
    const rotation = await rotateKey(db, org.id, stale.key.id, 0, null);
    expect(rotation.ok).toBe(true);
    expect(await deliver(queued, db, senders, false)).toEqual({ outcome: 'cancelled' });
    expect(messagesAbout('stale-reminder-key')).toHaveLength(0);
    const [record] = await db.select().from(deliveries).where(eq(deliveries.keyId, stale.key.id));
    expect(record).toMatchObject({
      status: 'cancelled',
      error: expect.stringContaining('the key was rotated'),
    });
    await sink.stop();
  });
});
