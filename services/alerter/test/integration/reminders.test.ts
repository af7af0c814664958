import { deliveries } from '@keywatch/db';
import { type DeliverJob, enqueueDelivery } from '@keywatch/jobs';
import { rotateKey } from '@keywatch/key-lifecycle';
import { waitFor } from '@keywatch/testkit';
import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { type Alerter, alerterTest } from './fixtures.ts';

const test = alerterTest('alerter-reminders', { smtp: true });

/**
 * One key's reminder, as the rotation scan queued them before it grouped them per destination:
 * such jobs still in the queue after a deploy are delivered as before.
 */
const reminder = (keyId: string, over: Partial<DeliverJob>): DeliverJob =>
  ({
    kind: 'rotation_reminder',
    keyId,
    channel: 'email',
    reminder: 'expiry',
    at: new Date(Date.now() + 6.5 * 86_400_000).toISOString(),
    sequence: 7,
    asOf: new Date().toISOString(),
    ...over,
  }) as DeliverJob;

/** The key's reminder deliveries once none is pending or being sent. */
const settled = (alerter: Alerter, keyId: string) =>
  waitFor('the reminder delivered', async () => {
    const found = await alerter.db
      .select({
        channel: deliveries.channel,
        recipient: deliveries.recipient,
        status: deliveries.status,
        error: deliveries.error,
      })
      .from(deliveries)
      .where(eq(deliveries.keyId, keyId));
    return found.length > 0 && found.every((d) => d.status !== 'pending' && d.status !== 'sending') && found;
  });

describe('rotation reminders', () => {
  test("delivers a rotation reminder to a personal key's owner", async ({ alerter }) => {
    const owned = await alerter.key(
      'reminded-key',
      {},
      { type: 'personal', ownerEmail: 'owner@example.com' },
    );
    await enqueueDelivery(alerter.queues.deliver, reminder(owned.id, { to: 'owner@example.com' }));
    expect(await settled(alerter, owned.id)).toEqual([
      { channel: 'email', recipient: 'owner@example.com', status: 'sent', error: null },
    ]);
    const mails = alerter.smtp!.mails;
    expect(mails.map((m) => m.to)).toEqual([['owner@example.com']]);
    expect(mails[0]!.raw).toMatch(/^Subject: .*reminded-key/m);
  });

  test('cancels a reminder whose key was rotated since it was queued', async ({ alerter }) => {
    const stale = await alerter.key('stale-reminder-key');
    const queued = reminder(stale.id, {
      channel: 'slack',
      reminder: 'rotation',
      sequence: 0,
    } as Partial<DeliverJob>);
    const rotation = await rotateKey(alerter.db, stale.orgId, stale.id, 0, null);
    expect(rotation.ok).toBe(true);
    await enqueueDelivery(alerter.queues.deliver, queued);
    expect(await settled(alerter, stale.id)).toMatchObject([
      { channel: 'slack', status: 'cancelled', error: expect.stringContaining('the key was rotated') },
    ]);
    expect(alerter.slackCallsAbout('stale-reminder-key')).toHaveLength(0);
  });
});
