import { apiKeys, deliveries, ensureOrg, orgs, webhookSecrets } from '@keywatch/db';
import { deliveryKey, enqueueDeliveries, rotationDigest } from '@keywatch/jobs';
import { installationChannels, verifyWebhook } from '@keywatch/notify';
import { runRotationScan } from '@keywatch/rotation-scan';
import type { AlertSettings } from '@keywatch/rules';
import { insertBulkKeys, type SlackCall } from '@keywatch/testkit';
import { eq, inArray, isNull } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import {
  ALERT_EMAIL_TO,
  type Alerter,
  alerterTest,
  PUBLIC_URL,
  SLACK_CHANNEL,
  slackFacts,
} from './fixtures.ts';
import { startWebhookReceiver } from './webhook-receiver.ts';

// Slack and email configured: every reminder goes to both defaults unless settings say otherwise.
const test = alerterTest('alerter-rotation-digests', { smtp: true });

const DAY = 86_400_000;
const policy = { maxAgeDays: 90, remindEveryDays: 7, escalateAfterDays: 30 };
const today = new Date('2026-09-01T09:00:00Z');
const daysBefore = (n: number, at = today) => new Date(at.getTime() - n * DAY);

/** One rotation scan as the rotation service runs it, then every delivery it queued settled. */
async function scanned(alerter: Alerter, asOf: Date) {
  const result = await runRotationScan({
    database: alerter.ctx.database,
    asOf,
    policy,
    dryRun: false,
    deliver: alerter.queues.deliver,
    channels: installationChannels(alerter.ctx.config),
  });
  await alerter.drained();
  return result;
}

/** A key of `org` created `age` days before `at`. */
async function keyAged(alerter: Alerter, org: string, name: string, age: number, spec = {}, at = today) {
  const key = await alerter.key(name, {}, { org, ...spec });
  await alerter.db
    .update(apiKeys)
    .set({ createdAt: daysBefore(age, at) })
    .where(eq(apiKeys.id, key.id));
  return key;
}

/** The Slack messages about one org's keys (never another's: one message never mixes orgs). */
const slackFor = (alerter: Alerter, org: string): SlackCall[] =>
  alerter.slack.messages().filter((m) => new RegExp(`in org ${org}( |$)`).test(String(m.body.text)));
const listOf = (message: SlackCall) => slackFacts(message).fields.Keys!.split('\n');
const mailsFor = (alerter: Alerter, to: string, org: string) =>
  alerter.smtp!.mails.filter((m) => m.to.includes(to) && m.decoded.includes(`in org ${org} `));

describe('rotation reminders, one message per destination', () => {
  test('50 keys due in one org: one Slack message and one mail, the 20 most overdue listed, the rest counted', async ({
    alerter,
  }) => {
    const { id: orgId } = await ensureOrg(alerter.db, 'rot-big');
    // bulk-i was created i seconds before bulk-(i-1): bulk-50 is the most overdue.
    await insertBulkKeys(alerter.db, { orgId, count: 50, asOf: today, dueEvery: 1 });
    const result = await scanned(alerter, today);
    expect(result.reminded).toHaveLength(50);

    const [message, ...more] = slackFor(alerter, 'rot-big');
    expect(more).toEqual([]);
    expect(message!.body.channel).toBe(SLACK_CHANNEL);
    expect(String(message!.body.text)).toBe(
      `Rotate API keys: 50 keys due in org rot-big as of 2026-09-01, the most overdue first; all of them: ${PUBLIC_URL}/rotation`,
    );
    const listed = listOf(message!);
    expect(listed).toHaveLength(21);
    expect(listed.slice(0, 20).map((line) => line.split(' ')[0])).toEqual(
      Array.from({ length: 20 }, (_, i) => `bulk-${50 - i}`),
    );
    expect(listed[0]).toMatch(/^bulk-50 \(sk_live_\w{4}…\): 10 days overdue$/);
    expect(listed[20]).toBe('…and 30 more');
    expect(slackFacts(message!).fields['All of them']).toBe(`${PUBLIC_URL}/rotation`);

    const mails = mailsFor(alerter, ALERT_EMAIL_TO, 'rot-big');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.decoded).toContain('…and 30 more');
    const recorded = await alerter.db
      .select({ channel: deliveries.channel, status: deliveries.status, keyId: deliveries.keyId })
      .from(deliveries)
      .where(eq(deliveries.kind, 'rotation_digest'));
    expect(recorded.sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([
      { channel: 'email', status: 'sent', keyId: null },
      { channel: 'slack', status: 'sent', keyId: null },
    ]);
  });

  test('two orgs on the same channel never share a message', async ({ alerter }) => {
    await keyAged(alerter, 'rot-alpha', 'alpha-1', 100);
    await keyAged(alerter, 'rot-alpha', 'alpha-2', 95);
    await keyAged(alerter, 'rot-beta', 'beta-1', 100);
    await scanned(alerter, today);

    const [alpha, ...moreAlpha] = slackFor(alerter, 'rot-alpha');
    const [beta, ...moreBeta] = slackFor(alerter, 'rot-beta');
    expect([moreAlpha, moreBeta]).toEqual([[], []]);
    expect(listOf(alpha!).map((line) => line.split(' ')[0])).toEqual(['alpha-1', 'alpha-2']);
    expect(listOf(beta!).map((line) => line.split(' ')[0])).toEqual(['beta-1']);
    expect(JSON.stringify(alpha!.body)).not.toContain('beta-1');
    expect(JSON.stringify(beta!.body)).not.toContain('alpha-');
  });

  test("a personal key's owner gets one mail listing only their keys", async ({ alerter }) => {
    const owner = 'owner@example.com';
    const personal = (email: string) => ({ type: 'personal', ownerEmail: email });
    await keyAged(alerter, 'rot-people', 'mine-1', 110, personal(owner));
    await keyAged(alerter, 'rot-people', 'mine-2', 115, personal(owner));
    await keyAged(alerter, 'rot-people', 'theirs-1', 100, personal('other@example.com'));
    await keyAged(alerter, 'rot-people', 'shared-1', 105);
    await scanned(alerter, today);

    const [mine, ...moreMine] = mailsFor(alerter, owner, 'rot-people');
    expect(moreMine).toEqual([]);
    expect(mine!.to).toEqual([owner]);
    expect(mine!.decoded).toMatch(/mine-2 \(sk_live_\w+…\): 25 days overdue\r?\nmine-1/);
    expect(mine!.decoded).not.toMatch(/theirs-1|shared-1/);
    const theirs = mailsFor(alerter, 'other@example.com', 'rot-people');
    expect(theirs).toHaveLength(1);
    expect(theirs[0]!.decoded).toContain('theirs-1');
    expect(theirs[0]!.decoded).not.toMatch(/mine-|shared-1/);
    // The org's own destinations hear of all four, once each.
    const [all] = slackFor(alerter, 'rot-people');
    expect(listOf(all!).map((line) => line.split(' ')[0])).toEqual([
      'mine-2',
      'mine-1',
      'shared-1',
      'theirs-1',
    ]);
    expect(mailsFor(alerter, ALERT_EMAIL_TO, 'rot-people')).toHaveLength(1);
  });

  test('sends nothing more the same day, reminds again a week later, and escalates to the security channel', async ({
    alerter,
  }) => {
    // The other tests' keys revoked: their reminders would queue at the same destinations.
    await alerter.db.update(apiKeys).set({ revokedAt: today }).where(isNull(apiKeys.revokedAt));
    const { id: orgId } = await ensureOrg(alerter.db, 'rot-cadence');
    const security: AlertSettings = { channels: { security: { slack: '#sec-oncall' } } };
    await alerter.db.update(orgs).set({ alerts: security }).where(eq(orgs.id, orgId));
    const start = new Date('2026-10-01T09:00:00Z');
    const key = await keyAged(alerter, 'rot-cadence', 'cadence-key', 91, {}, start);
    const sentSince = async (asOf: Date) => {
      const before = slackFor(alerter, 'rot-cadence').length;
      const result = await scanned(alerter, asOf);
      return { result, messages: slackFor(alerter, 'rot-cadence').slice(before) };
    };

    const first = await sentSince(start);
    expect(first.result.reminded).toContain(key.id);
    expect(first.messages.map(listOf)).toEqual([[`cadence-key (${key.prefix}…): 1 day overdue`]]);

    const sameDay = await sentSince(new Date(start.getTime() + 3 * 3_600_000));
    expect(sameDay.result.reminded).toEqual([]);
    expect(sameDay.messages).toEqual([]);

    const weekLater = await sentSince(new Date(start.getTime() + 7 * DAY));
    expect(weekLater.messages.map(listOf)).toEqual([
      [`cadence-key (${key.prefix}…): 8 days overdue (reminder 2)`],
    ]);

    const overdue = await sentSince(new Date(start.getTime() + 29 * DAY));
    const byChannel = Object.fromEntries(overdue.messages.map((m) => [String(m.body.channel), m]));
    expect(Object.keys(byChannel).sort()).toEqual(['#sec-oncall', SLACK_CHANNEL]);
    expect(listOf(byChannel['#sec-oncall']!)).toEqual([
      `cadence-key (${key.prefix}…): 30 days overdue, escalated`,
    ]);
    expect(String(byChannel['#sec-oncall']!.body.text)).toContain('(1 escalated)');
    expect(JSON.stringify(byChannel['#sec-oncall']!.body.blocks)).toContain('critical');
    expect(listOf(byChannel[SLACK_CHANNEL]!)).toEqual([
      `cadence-key (${key.prefix}…): 30 days overdue (reminder 3)`,
    ]);
  });

  test('leaves out keys rotated or revoked since the scan, and cancels a message left with none', async ({
    alerter,
  }) => {
    const gone = await keyAged(alerter, 'rot-moot', 'moot-gone', 100);
    const live = await keyAged(alerter, 'rot-moot', 'moot-live', 100);
    await alerter.db.update(apiKeys).set({ revokedAt: today }).where(eq(apiKeys.id, gone.id));
    const owed = (key: { id: string }) => ({
      keyId: key.id,
      reminder: { kind: 'rotation' as const, at: daysBefore(10), sequence: 0 },
    });
    const route = { orgId: gone.orgId, channel: 'slack' as const };
    const onlyGone = rotationDigest(route, today, [owed(gone)]);
    const both = rotationDigest(route, today, [owed(gone), owed(live)]);
    await enqueueDeliveries(alerter.queues.deliver, [onlyGone, both]);
    await alerter.drained();

    const statuses = await alerter.db
      .select({ key: deliveries.dedupeKey, status: deliveries.status, error: deliveries.error })
      .from(deliveries)
      .where(inArray(deliveries.dedupeKey, [deliveryKey(onlyGone), deliveryKey(both)]));
    expect(Object.fromEntries(statuses.map((d) => [d.key, [d.status, d.error]]))).toEqual({
      [deliveryKey(onlyGone)]: ['cancelled', 'every key it lists was rotated or revoked since'],
      [deliveryKey(both)]: ['sent', null],
    });
    const [message, ...more] = slackFor(alerter, 'rot-moot');
    expect(more).toEqual([]);
    expect(listOf(message!).map((line) => line.split(' ')[0])).toEqual(['moot-live']);
  });

  test('a webhook gets the list in the fields of one signed rotation.reminder', async ({ alerter }) => {
    const receiver = await startWebhookReceiver((res) => res.writeHead(204).end());
    try {
      const { id: orgId } = await ensureOrg(alerter.db, 'rot-hook');
      const settings: AlertSettings = { channels: { webhook: receiver.url('/rotation') } };
      await alerter.db.update(orgs).set({ alerts: settings }).where(eq(orgs.id, orgId));
      const secret = 'whsec_rotation-digest-test';
      await alerter.db.insert(webhookSecrets).values({ orgId, secret });
      await keyAged(alerter, 'rot-hook', 'hooked-1', 100);
      await keyAged(alerter, 'rot-hook', 'hooked-2', 99);
      await scanned(alerter, today);

      expect(receiver.received).toHaveLength(1);
      const [delivery] = receiver.received;
      expect(verifyWebhook(secret, delivery!, delivery!.body)).toBe(true);
      const body = JSON.parse(delivery!.body);
      expect(body).toMatchObject({ event: 'rotation.reminder', orgId, severity: 'warning' });
      const keys = body.fields.find((f: { label: string }) => f.label === 'Keys').value.split('\n');
      expect(keys.map((line: string) => line.split(' ')[0])).toEqual(['hooked-1', 'hooked-2']);
      // The org named a webhook: neither Slack nor the default mailbox hears of its keys.
      expect(slackFor(alerter, 'rot-hook')).toEqual([]);
    } finally {
      receiver.close();
    }
  });
});
