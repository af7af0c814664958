import { rotateWebhookSecret } from '@keywatch/key-lifecycle';
import { createLogger } from '@keywatch/log';
import { verifyWebhook } from '@keywatch/notify';
import { waitFor } from '@keywatch/testkit';
import { describe, expect } from 'vitest';
import { deliver } from '../../src/deliver.ts';
import { configuredChannels } from '../../src/workers.ts';
import { ALERT_EMAIL_TO, type Alerter, alerterTest } from './fixtures.ts';
import { startWebhookReceiver } from './webhook-receiver.ts';

// SMTP is configured here: by default alerts go to Slack and to ALERT_EMAIL_TO.
const test = alerterTest('alerter-routing', { smtp: true });

const mailsAbout = (alerter: Alerter, name: string) =>
  alerter.smtp!.mails.filter((m) => m.decoded.includes(name));
const sent = async (alerter: Alerter, keyId: string, count: number) =>
  waitFor(`${count} deliveries sent`, async () => {
    const found = await alerter.deliveriesOf(keyId);
    return found.length === count && found.every((d) => d.status === 'sent') && found;
  });

describe('default channels', () => {
  test('emails the alert (text and HTML) when SMTP is configured', async ({ alerter }) => {
    const { db } = alerter;
    const log = createLogger({ service: 'alerter-test', level: 'silent' });
    const { channels, senders } = configuredChannels(alerter.ctx.config, log, db);
    expect(channels).toEqual(['slack', 'email']);
    const key = await alerter.keyWithDailyUsage('mailed-key', 10, 12);
    await alerter.evaluate(key.id);
    const deliveries = await sent(alerter, key.id, 2);
    expect(deliveries.map((d) => [d.channel, d.recipient]).sort()).toEqual([
      ['email', null],
      ['slack', null],
    ]);
    const [alert] = await alerter.alertsOf(key.id);
    expect(alert).toMatchObject({ rule: 'highUsage', severity: 'critical', value: 12, threshold: 10 });

    const mails = mailsAbout(alerter, 'mailed-key');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual([ALERT_EMAIL_TO]);
    expect(mails[0]!.raw).toMatch(/^Subject: .*mailed-key/m);
    expect(mails[0]!.raw).toContain('text/plain');
    expect(mails[0]!.raw).toContain('text/html');
    // Sending again is a no-op: the delivery is recorded as sent.
    expect(
      await deliver({ kind: 'alert', alertId: alert!.id, channel: 'email' }, db, senders, false),
    ).toEqual({
      outcome: 'already_sent',
    });
    expect(mailsAbout(alerter, 'mailed-key')).toHaveLength(1);
  });
});

describe("a key's own routes", () => {
  test("sends to the key's own Slack channel when its settings name one", async ({ alerter }) => {
    const key = await alerter.key('routed-key', {
      highUsage: { threshold: 10, period: 'daily' },
      channels: { slack: '#payments-oncall' },
    });
    await alerter.setDailyUsage(key.id, 10);
    await alerter.evaluate(key.id);
    await alerter.drained();
    expect(alerter.slackAbout('routed-key').map((m) => m.body.channel)).toEqual(['#payments-oncall']);
    expect((await alerter.deliveriesOf(key.id)).map((d) => [d.channel, d.recipient, d.status])).toEqual([
      ['slack', '#payments-oncall', 'sent'],
    ]);
  });

  test("mails a personal key's owner as well", async ({ alerter }) => {
    const key = await alerter.key(
      'owned-key',
      { highUsage: { threshold: 10, period: 'daily' } },
      { type: 'personal', ownerEmail: 'owner@example.com' },
    );
    await alerter.setDailyUsage(key.id, 10);
    await alerter.evaluate(key.id);
    const deliveries = await sent(alerter, key.id, 3);
    expect(deliveries.map((d) => [d.channel, d.recipient ?? '']).sort()).toEqual([
      ['email', ''],
      ['email', 'owner@example.com'],
      ['slack', ''],
    ]);
    expect(
      mailsAbout(alerter, 'owned-key')
        .map((m) => m.to)
        .sort(),
    ).toEqual([['owner@example.com'], [ALERT_EMAIL_TO]]);
    expect(alerter.slackAbout('owned-key')).toHaveLength(1);
  });

  test('posts signed JSON to the webhook a key names, and retries a receiver 503', async ({ alerter }) => {
    let failNext = true;
    const receiver = await startWebhookReceiver((res) => {
      res.writeHead(failNext ? 503 : 204).end();
      failNext = false;
    });
    const { received } = receiver;
    try {
      const key = await alerter.key('hooked-key', {
        highUsage: { threshold: 10, period: 'daily' },
        channels: { webhook: receiver.url('/keywatch') },
      });
      const secret = await rotateWebhookSecret(alerter.db, key.orgId, null);
      await alerter.setDailyUsage(key.id, 12);
      await alerter.evaluate(key.id);
      const [delivery] = await sent(alerter, key.id, 1);
      expect(delivery).toMatchObject({ channel: 'webhook', attempts: 2 });
      expect(received).toHaveLength(2);
      const last = received[1]!;
      expect(verifyWebhook(secret, last, last.body)).toBe(true);
      expect(JSON.parse(last.body)).toMatchObject({
        type: 'keywatch.notification',
        severity: 'critical',
        summary: expect.stringContaining('hooked-key'),
      });
      // The key named a webhook: neither Slack nor the default mailbox hears of it.
      expect(alerter.slackAbout('hooked-key')).toHaveLength(0);
      expect(mailsAbout(alerter, 'hooked-key')).toHaveLength(0);
    } finally {
      receiver.close();
    }
  });
});
