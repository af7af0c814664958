import { silences } from '@keywatch/db';
import { describe, expect } from 'vitest';
import { alerterTest } from './fixtures.ts';

const test = alerterTest('alerter-silences');

describe('silences', () => {
  test('records but does not send an alert a silence mutes', async ({ alerter }) => {
    const muted = await alerter.keyWithDailyUsage('silenced-key', 10, 10);
    await alerter.db.insert(silences).values({
      orgId: muted.orgId,
      keyId: muted.id,
      rule: 'highUsage',
      until: new Date(Date.now() + 3_600_000),
      reason: 'planned load test',
    });
    const loud = await alerter.keyWithDailyUsage('heard-key', 10, 10);
    await alerter.evaluate(muted.id, loud.id);
    await alerter.drained();
    expect(alerter.slackAbout('heard-key')).toHaveLength(1);
    expect(alerter.slackAbout('silenced-key')).toHaveLength(0);
    expect(await alerter.alertsOf(muted.id)).toMatchObject([{ rule: 'highUsage', subject: 'critical' }]);
    expect(await alerter.deliveriesOf(muted.id)).toMatchObject([
      { channel: 'slack', status: 'silenced', error: expect.stringContaining('planned load test') },
    ]);
  });
});
