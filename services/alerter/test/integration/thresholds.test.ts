import { usageBuckets, usageCountryCounts } from '@keywatch/db';
import { windowOf } from '@keywatch/rules';
import { waitFor } from '@keywatch/testkit';
import { describe, expect } from 'vitest';
import { keysWithEndedWindows } from '../../src/alerts-repository.ts';
import { evaluateKey } from '../../src/evaluate.ts';
import { alerterTest, PUBLIC_URL, SLACK_CHANNEL, SLACK_TOKEN, slackFacts } from './fixtures.ts';

const test = alerterTest('alerter-thresholds');

describe('highUsage', () => {
  test('sends one Slack message for a crossing however often the key is evaluated', async ({ alerter }) => {
    const key = await alerter.keyWithDailyUsage('crossing-key', 20, 21);
    for (let i = 0; i < 5; i++) await alerter.evaluate(key.id);
    const [message] = await waitFor('a Slack message', () => {
      const found = alerter.slackAbout('crossing-key');
      return found.length > 0 && found;
    });
    const { token, channel, fields } = slackFacts(message!);
    expect({ token, channel }).toEqual({ token: SLACK_TOKEN, channel: SLACK_CHANNEL });
    expect(fields['Usage report']).toBe(`${PUBLIC_URL}/api/api-keys/${key.id}/usage`);
    expect(await alerter.alertsOf(key.id)).toMatchObject([
      { rule: 'highUsage', subject: 'critical', severity: 'critical', value: 21, threshold: 20 },
    ]);
    // Evaluate again after the delivery, then wait for the queues to drain: still one message.
    await alerter.evaluate(key.id);
    await alerter.drained();
    expect(alerter.slackAbout('crossing-key')).toHaveLength(1);
    expect(await alerter.deliveriesOf(key.id)).toMatchObject([
      { kind: 'alert', channel: 'slack', recipient: null, status: 'sent' },
    ]);
  });

  test('stays quiet below the warning level', async ({ alerter }) => {
    const quiet = await alerter.keyWithDailyUsage('quiet-key', 20, 15);
    const loud = await alerter.keyWithDailyUsage('loud-key', 20, 20);
    await alerter.evaluate(quiet.id, loud.id);
    await alerter.drained();
    expect(alerter.slackAbout('loud-key')).toHaveLength(1);
    expect(alerter.slackAbout('quiet-key')).toHaveLength(0);
    expect(await alerter.alertsOf(quiet.id)).toEqual([]);
    expect(await alerter.alertsOf(loud.id)).toMatchObject([{ subject: 'critical', severity: 'critical' }]);
  });

  test('warns at 80 % of the threshold, then sends the critical alert at the threshold, once each', async ({
    alerter,
  }) => {
    const key = await alerter.keyWithDailyUsage('warned-key', 20, 16);
    await alerter.evaluate(key.id);
    await alerter.drained();
    expect(alerter.slackAbout('warned-key')).toHaveLength(1);
    expect(await alerter.alertsOf(key.id)).toMatchObject([
      {
        rule: 'highUsage',
        subject: 'warning',
        severity: 'warning',
        value: 16,
        threshold: 16,
        details: { of: 20 },
      },
    ]);

    await alerter.setDailyUsage(key.id, 20);
    await alerter.evaluate(key.id);
    await alerter.drained();
    await alerter.evaluate(key.id);
    await alerter.drained();
    expect(alerter.slackAbout('warned-key')).toHaveLength(2);
    const recorded = await alerter.alertsOf(key.id);
    expect(recorded.map((a) => [a.subject, a.severity, a.value, a.threshold]).sort()).toEqual([
      ['critical', 'critical', 20, 20],
      ['warning', 'warning', 16, 16],
    ]);
    expect((await alerter.deliveriesOf(key.id)).map((d) => [d.subject, d.channel, d.status])).toEqual([
      ['warning', 'slack', 'sent'],
      ['critical', 'slack', 'sent'],
    ]);
  });

  test('names the top countries of the window', async ({ alerter }) => {
    const key = await alerter.keyWithDailyUsage('travelled-key', 10, 12);
    const day = windowOf('daily', new Date()).start;
    await alerter.db.insert(usageCountryCounts).values([
      { keyId: key.id, granularity: 'day', bucketStart: day, country: 'US', count: 2 },
      { keyId: key.id, granularity: 'day', bucketStart: day, country: 'GB', count: 9 },
      { keyId: key.id, granularity: 'day', bucketStart: day, country: 'NL', count: 1 },
    ]);
    await alerter.evaluate(key.id);
    await alerter.drained();
    const [alert] = await alerter.alertsOf(key.id);
    expect(alert!.details.topCountries).toEqual([
      { country: 'GB', count: 9 },
      { country: 'US', count: 2 },
      { country: 'NL', count: 1 },
    ]);
    const [message] = alerter.slackAbout('travelled-key');
    expect(slackFacts(message!).fields).toHaveProperty('Top countries');
  });
});

describe('failures', () => {
  test('alerts on failures by count and by rate', async ({ alerter }) => {
    const key = await alerter.key('failing-key', {
      failures: { threshold: 50, period: 'daily', rate: 0.5, minRequests: 10 },
    });
    // 30 of 40 failed: past the rate (50 %), not the count (50).
    await alerter.setDailyUsage(key.id, 40, 30);
    await alerter.evaluate(key.id);
    await alerter.drained();
    expect(alerter.slackAbout('failing-key')).toHaveLength(1);
    expect(await alerter.alertsOf(key.id)).toMatchObject([
      { rule: 'failures', subject: 'rate', severity: 'critical', value: 75, threshold: 50 },
    ]);

    // 60 of 200: past the count, no longer the rate.
    await alerter.setDailyUsage(key.id, 200, 60);
    await alerter.evaluate(key.id);
    await alerter.drained();
    expect(alerter.slackAbout('failing-key')).toHaveLength(2);
    const count = (await alerter.alertsOf(key.id)).find((a) => a.subject === 'count');
    expect(count).toMatchObject({ rule: 'failures', severity: 'critical', value: 60, threshold: 50 });
    expect((await alerter.deliveriesOf(key.id)).map((d) => [d.subject, d.status])).toEqual([
      ['rate', 'sent'],
      ['count', 'sent'],
    ]);
  });
});

describe('resolution', () => {
  test('resolves an alert when its window ends, and says so where the rule asks', async ({ alerter }) => {
    const { db, queues } = alerter;
    const key = await alerter.key('resolving-key', {
      highUsage: { threshold: 5, period: 'hourly', warnAt: null, notifyResolved: true },
    });
    const now = new Date();
    const hour = windowOf('hourly', now).start;
    await db
      .insert(usageBuckets)
      .values({ keyId: key.id, granularity: 'hour', bucketStart: hour, total: 5, success: 5, failure: 0 });
    const deps = {
      db,
      deliver: queues.deliver,
      channels: ['slack' as const],
      available: ['slack' as const],
      policy: {},
    };
    const fired = await evaluateKey(key.id, { ...deps, now });
    expect(fired.firing).toHaveLength(1);
    await alerter.drained();
    // Two hours on, the hour has ended: the next evaluation (or the sweep) resolves it, once.
    const later = new Date(hour.getTime() + 2 * 3_600_000);
    expect(await keysWithEndedWindows(db, later)).toContain(key.id);
    expect((await evaluateKey(key.id, { ...deps, now: later })).resolved).toEqual(fired.firing);
    expect((await evaluateKey(key.id, { ...deps, now: later })).resolved).toEqual([]);
    await alerter.drained();
    expect(alerter.slackAbout('resolving-key')).toHaveLength(2);
    expect((await alerter.deliveriesOf(key.id)).map((d) => [d.kind, d.channel, d.status])).toEqual([
      ['alert', 'slack', 'sent'],
      ['resolution', 'slack', 'sent'],
    ]);
    const [stored] = await alerter.alertsOf(key.id);
    expect(stored).toMatchObject({ state: 'resolved', resolvedAt: later });
    expect(stored!.details).toMatchObject({ resolution: 'window_ended' });
    expect(await keysWithEndedWindows(db, later)).not.toContain(key.id);
  });
});
