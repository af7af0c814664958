import { alerts, deliveries, ensureOrg, usageBuckets } from '@keywatch/db';
import { enqueueEvaluate, type Queues } from '@keywatch/jobs';
import { issueKey, rotateWebhookSecret } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { createLogger } from '@keywatch/log';
import { NO_SECRET, verifyWebhook } from '@keywatch/notify';
import { windowOf } from '@keywatch/rules';
import { createTestContext, FakeSlack, type TestContext, waitFor } from '@keywatch/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliver } from '../../src/deliver.ts';
import { type AlerterWorkers, configuredChannels } from '../../src/workers.ts';
import { startAlerter } from './harness.ts';
import { startWebhookReceiver } from './webhook-receiver.ts';

let ctx: TestContext;
let slack: FakeSlack;
let queues: Queues;
let workers: AlerterWorkers;
const log = createLogger({ service: 'webhooks-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

beforeAll(async () => {
  slack = await new FakeSlack().start();
  ctx = await createTestContext('alerter-webhooks', {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_CHANNEL: '#security',
    SLACK_API_URL: slack.url,
    ALERT_STORM_PER_MINUTE: '1000',
    // The receivers here listen on loopback; the refusal tests use senders without this.
    WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
  });
  ({ queues, workers } = startAlerter(ctx, log));
});
afterAll(async () => {
  await workers?.close();
  await queues?.close();
  await slack?.stop();
  await ctx?.close();
});

/** A receiver for this test, closed after it. */
async function receiver(answer: Parameters<typeof startWebhookReceiver>[0]) {
  const started = await startWebhookReceiver(answer);
  opened.push(started);
  return started;
}
const opened: { close(): void }[] = [];
afterEach(() => {
  for (const r of opened.splice(0)) r.close();
});

async function keyWithDailyUsage(orgSlug: string, name: string, channels: Record<string, unknown>) {
  const org = await ensureOrg(ctx.database.db, orgSlug);
  const spec = newKeySchema.parse({
    name,
    scopes: ['chat'],
    alerts: { highUsage: { threshold: 10, period: 'daily' }, channels },
  });
  const { key } = await issueKey(ctx.database.db, org.id, spec);
  await ctx.database.db.insert(usageBuckets).values({
    keyId: key.id,
    granularity: 'day',
    bucketStart: windowOf('daily', new Date()).start,
    total: 12,
    success: 12,
    failure: 0,
  });
  return { org, key };
}

/** An alert of a key whose webhook is `url`, recorded directly, to deliver without the evaluation. */
async function recordedAlert(orgSlug: string, name: string) {
  const { org, key } = await keyWithDailyUsage(orgSlug, name, {});
  const [alert] = await ctx.database.db
    .insert(alerts)
    .values({
      keyId: key.id,
      orgId: org.id,
      rule: 'highUsage',
      period: 'daily',
      windowStart: windowOf('daily', new Date()).start,
      value: 12,
      threshold: 10,
    })
    .returning();
  return { org, key, alert: alert! };
}

async function deliveriesOf(keyId: string) {
  return ctx.database.db
    .select({ delivery: deliveries })
    .from(deliveries)
    .innerJoin(alerts, eq(alerts.id, deliveries.alertId))
    .where(eq(alerts.keyId, keyId))
    .then((rows) => rows.map((r) => r.delivery));
}

describe('webhook destinations', () => {
  it('refuses a receiver on 127.0.0.1 at send time, and reaches it once the network is allowed', async () => {
    const hook = await receiver((res) => res.writeHead(204).end());
    const { org, alert } = await recordedAlert('refusing-org', 'loopback-hook-key');
    await rotateWebhookSecret(ctx.database.db, org.id, null);
    const job = { kind: 'alert', alertId: alert.id, channel: 'webhook', to: hook.url() } as const;

    const refusing = configuredChannels(
      { ...ctx.config, WEBHOOK_ALLOWED_NETWORKS: [] },
      log,
      ctx.database.db,
    );
    await expect(deliver(job, ctx.database.db, refusing.senders, false)).rejects.toThrow(
      'webhook: address 127.0.0.1 is not allowed (loopback)',
    );
    const [failed] = await deliveriesOf(alert.keyId!);
    expect(failed).toMatchObject({
      status: 'failed',
      error: 'webhook: address 127.0.0.1 is not allowed (loopback)',
    });
    expect(hook.received).toHaveLength(0);

    const allowing = configuredChannels(ctx.config, log, ctx.database.db);
    expect(await deliver(job, ctx.database.db, allowing.senders, false)).toEqual({ outcome: 'sent' });
    expect(hook.received).toHaveLength(1);
  });

  it('refuses a name that resolves to loopback on the connection (a URL stored past the API)', async () => {
    const hook = await receiver((res) => res.writeHead(204).end());
    const { org, alert } = await recordedAlert('refusing-org', 'localhost-hook-key');
    await rotateWebhookSecret(ctx.database.db, org.id, null);
    const refusing = configuredChannels(
      { ...ctx.config, WEBHOOK_ALLOWED_NETWORKS: [] },
      log,
      ctx.database.db,
    );
    const job = {
      kind: 'alert',
      alertId: alert.id,
      channel: 'webhook',
      to: `http://localhost:${hook.port}/hook`,
    } as const;
    await expect(deliver(job, ctx.database.db, refusing.senders, false)).rejects.toThrow(
      'webhook: the host resolves to an address that is not allowed',
    );
    expect(hook.received).toHaveLength(0);
  });

  it('fails the delivery of an org without a signing secret, saying how to make one', async () => {
    const hook = await receiver((res) => res.writeHead(204).end());
    const { alert } = await recordedAlert('secretless-org', 'secretless-key');
    const { senders } = configuredChannels(ctx.config, log, ctx.database.db);
    const job = { kind: 'alert', alertId: alert.id, channel: 'webhook', to: hook.url() } as const;
    await expect(deliver(job, ctx.database.db, senders, false)).rejects.toThrow(NO_SECRET);
    expect(hook.received).toHaveLength(0);
  });

  it("routes an org's alerts to the defaults, not nowhere, while it has a webhook but no secret", async () => {
    const hook = await receiver((res) => res.writeHead(204).end());
    const { key } = await keyWithDailyUsage('no-secret-org', 'no-secret-key', { webhook: hook.url() });
    await enqueueEvaluate(queues.evaluate, key.id);
    const sent = await waitFor('the alert to go out on the default channel', async () => {
      const found = await deliveriesOf(key.id);
      return found.some((d) => d.status === 'sent') && found;
    });
    expect(sent.map((d) => d.channel)).toEqual(['slack']);
    expect(hook.received).toHaveLength(0);
  });

  it('posts the payload of the contract, with the same id on a retry', async () => {
    let answers = 0;
    const hook = await receiver((res) => res.writeHead(answers++ === 0 ? 503 : 204).end());
    const { org, key } = await keyWithDailyUsage('payload-org', 'payload-key', { webhook: hook.url() });
    const secret = await rotateWebhookSecret(ctx.database.db, org.id, null);
    await enqueueEvaluate(queues.evaluate, key.id);
    await waitFor('sent on the retry', async () => (await deliveriesOf(key.id))[0]?.status === 'sent');

    expect(hook.received).toHaveLength(2);
    const [first, retry] = hook.received.map((r) => JSON.parse(r.body));
    const [delivery] = await deliveriesOf(key.id);
    expect(retry).toMatchObject({
      type: 'keywatch.notification',
      id: delivery!.id,
      event: 'alert.firing',
      orgId: org.id,
      severity: 'critical',
      title: expect.stringContaining('payload-key'),
      alert: {
        id: delivery!.alertId,
        keyId: key.id,
        rule: 'highUsage',
        subject: 'critical',
        severity: 'critical',
        state: 'firing',
        value: 12,
        threshold: 10,
      },
    });
    expect(retry.alert).not.toHaveProperty('deliveries');
    expect(first.id).toBe(retry.id);
    for (const r of hook.received) expect(verifyWebhook(secret, r, r.body)).toBe(true);
  });
});

describe('one receiver never holds the deliver queue', () => {
  it("delays only its own deliveries: a 429 Retry-After: 3600 and a tarpit of org A, org B's Slack alert still goes out", async () => {
    const asksToWait = await receiver((res) => res.writeHead(429, { 'retry-after': '3600' }).end());
    let open = 0;
    let mostOpen = 0;
    const tarpit = await receiver((_res, req) => {
      open++;
      mostOpen = Math.max(mostOpen, open);
      req.socket.on('close', () => open--);
    });
    const waiting = await keyWithDailyUsage('tenant-a', 'a-waiting-key', { webhook: asksToWait.url() });
    await rotateWebhookSecret(ctx.database.db, waiting.org.id, null);
    const stuck = [];
    // More than the old four workers, each on its own path of the one tarpit.
    for (let i = 0; i < 8; i++)
      stuck.push(
        (await keyWithDailyUsage('tenant-a', `a-tarpit-key-${i}`, { webhook: tarpit.url(`/${i}`) })).key,
      );
    for (const key of [waiting.key, ...stuck]) await enqueueEvaluate(queues.evaluate, key.id);
    await waitFor('the receiver asked to wait', () => asksToWait.received.length === 1);
    await waitFor('the tarpit holds connections', () => open > 0);

    const other = await keyWithDailyUsage('tenant-b', 'b-slack-key', {});
    const askedAt = Date.now();
    await enqueueEvaluate(queues.evaluate, other.key.id);
    await waitFor(
      "org B's Slack alert",
      () => slack.messages().some((m) => String(m.body.text).includes('b-slack-key')),
      { timeoutMs: 5_000 },
    );
    expect(Date.now() - askedAt).toBeLessThan(5_000);

    // A's receivers wait: the one that asked was not asked again, the tarpit never had more than
    // the bound of sends open at once.
    expect(asksToWait.received).toHaveLength(1);
    expect((await deliveriesOf(waiting.key.id))[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect(mostOpen).toBeLessThanOrEqual(2);
  });
});
