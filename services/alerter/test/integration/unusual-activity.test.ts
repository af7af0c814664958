import {
  alerts,
  apiKeys,
  keyHourlyIps,
  keylessFailures,
  usageBuckets,
  usageCountryCounts,
} from '@keywatch/db';
import { enqueueSourceEvaluate } from '@keywatch/jobs';
import { windowOf } from '@keywatch/rules';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { resolveEndedSourceAlerts, sourcesOverThreshold } from '../../src/credential-stuffing.ts';
import { alerterTest, SLACK_CHANNEL } from './fixtures.ts';

const test = alerterTest('alerter-unusual-activity');

describe('unusual activity of a key', () => {
  test('flags a new country and a fan-out to many IPs against the key’s own two weeks, each once', async ({
    alerter,
  }) => {
    const { db } = alerter;
    const key = await alerter.key('roaming-key', { unusualActivity: true });
    await db
      .update(apiKeys)
      .set({ createdAt: new Date(Date.now() - 30 * 86_400_000) })
      .where(eq(apiKeys.id, key.id));
    const hour = windowOf('hourly', new Date()).start;
    // Two weeks of ordinary hours: 25 requests from GB and two IPs each, then this hour.
    const hours = Array.from({ length: 14 * 24 + 1 }, (_, i) => new Date(hour.getTime() - i * 3_600_000));
    const bucket = { granularity: 'hour' as const, total: 25, success: 25, failure: 0 };
    await db
      .insert(usageBuckets)
      .values(hours.map((bucketStart) => ({ keyId: key.id, bucketStart, ...bucket })));
    await db.insert(usageCountryCounts).values([
      ...hours.map((bucketStart) => ({
        keyId: key.id,
        granularity: 'hour' as const,
        bucketStart,
        country: 'GB',
        count: 24,
      })),
      { keyId: key.id, granularity: 'hour', bucketStart: hour, country: 'BR', count: 1 },
    ]);
    const ips = (hourStart: Date, count: number) =>
      Array.from({ length: count }, (_, i) => ({ keyId: key.id, hourStart, ip: `192.0.2.${i}` }));
    await db.insert(keyHourlyIps).values(hours.slice(1).flatMap((h) => ips(h, 2)));
    await db.insert(keyHourlyIps).values(ips(hour, 60));
    for (let i = 0; i < 3; i++) {
      await alerter.evaluate(key.id);
      await alerter.drained();
    }
    const recorded = await alerter.alertsOf(key.id);
    expect(
      recorded
        .map((a) => ({ rule: a.rule, subject: a.subject, value: a.value, windowStart: a.windowStart }))
        .sort((a, b) => a.subject.localeCompare(b.subject)),
    ).toEqual([
      { rule: 'unusualActivity', subject: 'ipFanOut', value: 60, windowStart: hour },
      { rule: 'unusualActivity', subject: 'newCountry:BR', value: 1, windowStart: hour },
    ]);
    expect(recorded.find((a) => a.subject === 'newCountry:BR')!.details).toMatchObject({
      usual: { countries: ['GB'] },
      seen: { country: 'BR' },
    });
    expect(recorded.find((a) => a.subject === 'ipFanOut')!.details).toMatchObject({
      usual: { distinctIps: 2 },
      seen: { distinctIps: 60 },
    });
    expect(alerter.slackAbout('roaming-key')).toHaveLength(2);
    expect((await alerter.deliveriesOf(key.id)).map((d) => [d.subject, d.channel, d.status]).sort()).toEqual([
      ['ipFanOut', 'slack', 'sent'],
      ['newCountry:BR', 'slack', 'sent'],
    ]);
  });
});

describe('credential stuffing', () => {
  test('alerts once on credential stuffing (50 unknown keys from one IP in 10 minutes) to the default channel', async ({
    alerter,
  }) => {
    const { db, queues } = alerter;
    const ip = '198.51.100.200';
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const unknownKeys = (count: number, minutesAgo: number) =>
      db
        .insert(keylessFailures)
        .values({ ip, bucketStart: new Date(minute.getTime() - minutesAgo * 60_000), count })
        .onConflictDoUpdate({
          target: [keylessFailures.ip, keylessFailures.bucketStart],
          set: { count: sql`${keylessFailures.count} + ${count}` },
        });
    const recorded = () =>
      db
        .select()
        .from(alerts)
        .where(and(isNull(alerts.keyId), eq(alerts.subject, `credentialStuffing:${ip}`)));
    await unknownKeys(30, 12); // too long ago to count
    await unknownKeys(29, 3);
    await unknownKeys(20, 0);
    await enqueueSourceEvaluate(queues.evaluate, ip);
    await alerter.drained();
    expect(alerter.slackAbout(ip)).toHaveLength(0);
    expect(await recorded()).toEqual([]);
    expect(await sourcesOverThreshold(db, new Date())).not.toContain(ip);

    await unknownKeys(1, 0);
    expect(await sourcesOverThreshold(db, new Date())).toContain(ip);
    await enqueueSourceEvaluate(queues.evaluate, ip);
    await alerter.drained();
    await enqueueSourceEvaluate(queues.evaluate, ip);
    await alerter.drained();
    const messages = alerter.slackAbout(ip);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.body.channel).toBe(SLACK_CHANNEL);
    const [alert, ...more] = await recorded();
    expect(more).toHaveLength(0);
    expect(alert).toMatchObject({ orgId: null, rule: 'unusualActivity', value: 50, state: 'firing' });
    expect(alert!.details).toMatchObject({ signal: 'credentialStuffing', ip, minutes: 10 });

    // The hour over, the alert resolves (quietly: no settings ask for a resolution message).
    const hourEnd = windowOf('hourly', alert!.windowStart).end;
    expect(await resolveEndedSourceAlerts(db, hourEnd)).toBeGreaterThanOrEqual(1);
    const [after] = await db.select().from(alerts).where(eq(alerts.id, alert!.id));
    expect(after!.state).toBe('resolved');
  });
});
