import { waitFor } from '@keywatch/testkit';
import { describe, expect } from 'vitest';
import { alerterTest } from './fixtures.ts';

// Scripted Slack replies go to whichever call comes next: each test here waits for its own
// deliveries to settle before the next one scripts any.
const test = alerterTest('alerter-slack-retries');

describe('Slack failures', () => {
  test('retries Slack 500s and sends exactly one message', async ({ alerter }) => {
    alerter.slack.reply({ status: 500, body: { ok: false } }, { status: 500, body: { ok: false } });
    const key = await alerter.keyWithDailyUsage('flaky-slack-key', 10, 10);
    await alerter.evaluate(key.id);
    await waitFor('sent after retries', () => alerter.slackAbout('flaky-slack-key').length === 1, {
      timeoutMs: 30_000,
    });
    expect(alerter.slackCallsAbout('flaky-slack-key')).toHaveLength(3);
    expect(await alerter.deliveriesOf(key.id)).toMatchObject([
      { channel: 'slack', status: 'sent', attempts: 3, error: null },
    ]);
  });

  test("waits as long as Slack's 429 Retry-After asks, then sends once", async ({ alerter }) => {
    // 2 s, longer than the first retry's backoff (1 s): only obeying Retry-After waits this long.
    alerter.slack.reply({
      status: 429,
      body: { ok: false, error: 'ratelimited' },
      headers: { 'retry-after': '2' },
    });
    const key = await alerter.keyWithDailyUsage('throttled-key', 10, 10);
    await alerter.evaluate(key.id);
    await waitFor('the refused attempt', () => alerter.slackCallsAbout('throttled-key').length === 1, {
      intervalMs: 10,
    });
    const refusedAt = Date.now();
    await waitFor('sent after the wait', () => alerter.slackAbout('throttled-key').length === 1, {
      timeoutMs: 15_000,
      intervalMs: 10,
    });
    expect(Date.now() - refusedAt).toBeGreaterThanOrEqual(1900);
    await alerter.drained();
    expect(alerter.slackCallsAbout('throttled-key')).toHaveLength(2);
    expect(await alerter.deliveriesOf(key.id)).toMatchObject([
      { channel: 'slack', status: 'sent', attempts: 2 },
    ]);
  });

  test('fails at once with the reason on invalid_auth, without retrying', async ({ alerter }) => {
    alerter.slack.reply({ status: 200, body: { ok: false, error: 'invalid_auth' } });
    const key = await alerter.keyWithDailyUsage('bad-token-key', 10, 15);
    await alerter.evaluate(key.id);
    const [failed] = await waitFor('delivery marked failed', async () => {
      const found = await alerter.deliveriesOf(key.id);
      return found[0]?.status === 'failed' && found;
    });
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'slack: invalid_auth',
      channel: 'slack',
    });
    // No retry scheduled: the deliver queue holds nothing for it.
    expect(await alerter.queues.deliver.getJobCounts('delayed', 'waiting', 'active')).toEqual({
      delayed: 0,
      waiting: 0,
      active: 0,
    });
    expect(alerter.slackCallsAbout('bad-token-key')).toHaveLength(1);
  });
});
