import { alerts, auditLog, deliveries, keyChanges, rotationScans, silences } from '@keywatch/db';
import { createTestContext, type TestContext } from '@keywatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneExpired } from '../../src/retention.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext('retention_records');
});
afterAll(() => ctx?.close());

const now = new Date('2026-11-22T12:00:00.000Z');
const MINUTE = 60_000;
const DAY = 86_400_000;
/** A minute inside the retention of `days` (kept) or a minute outside it (deleted). */
const inside = (days: number) => new Date(now.getTime() - days * DAY + MINUTE);
const outside = (days: number) => new Date(now.getTime() - days * DAY - MINUTE);
const orgId = '00000000-0000-4000-8000-000000000001';

async function alertWithDelivery(tag: string, at: { createdAt: Date; resolvedAt: Date | null }) {
  const [alert] = await ctx.database.db
    .insert(alerts)
    .values({
      orgId,
      keyId: null,
      rule: 'failures',
      subject: tag,
      period: 'hourly',
      windowStart: at.createdAt,
      value: 1,
      threshold: 1,
      state: at.resolvedAt ? 'resolved' : 'firing',
      ...at,
    })
    .returning();
  await ctx.database.db
    .insert(deliveries)
    .values({ alertId: alert!.id, kind: 'alert', channel: 'log', dedupeKey: tag, createdAt: at.createdAt });
  return tag;
}

describe('pruneExpired: records at the edge of their retention (defaults)', () => {
  it('keeps what is just inside, deletes what is just outside, deliveries before their alerts', async () => {
    const { db } = ctx.database;
    const longAgo = new Date(now.getTime() - 400 * DAY);
    const keptAlerts = [
      await alertWithDelivery('resolved-inside', { createdAt: longAgo, resolvedAt: inside(90) }),
      // Firing however old: still news.
      await alertWithDelivery('firing-old', { createdAt: longAgo, resolvedAt: null }),
    ];
    await alertWithDelivery('resolved-outside', { createdAt: longAgo, resolvedAt: outside(90) });
    await db.insert(deliveries).values(
      [
        ['reminder-inside', inside(90)],
        ['reminder-outside', outside(90)],
      ].map(([dedupeKey, createdAt]) => ({
        keyId: orgId,
        kind: 'rotation_reminder' as const,
        channel: 'log' as const,
        dedupeKey: dedupeKey as string,
        createdAt: createdAt as Date,
      })),
    );
    await db.insert(silences).values(
      [inside(90), outside(90), new Date(now.getTime() + DAY)].map((until, i) => ({
        orgId,
        rule: 'failures' as const,
        until,
        reason: `s${i}`,
      })),
    );
    await db
      .insert(auditLog)
      .values([inside(365), outside(365)].map((at) => ({ orgId, action: 'key.create' as const, at })));
    await db.insert(keyChanges).values([inside(7), outside(7)].map((at) => ({ hash: at.toISOString(), at })));
    const scan = (ranAt: Date) => ({ ranAt, asOf: ranAt, flagged: 0, reminded: 0, durationMs: 1 });
    await db.insert(rotationScans).values([scan(outside(91)), scan(outside(90)), scan(inside(90))]);

    // One row per statement: the chunked loop, not one big delete, has to get everything.
    const deleted = await pruneExpired(db, now, ctx.config, 1);

    expect((await db.select().from(alerts)).map((a) => a.subject).sort()).toEqual([...keptAlerts].sort());
    expect((await db.select().from(deliveries)).map((d) => d.dedupeKey).sort()).toEqual(
      [...keptAlerts, 'reminder-inside'].sort(),
    );
    expect((await db.select().from(silences)).map((s) => s.reason).sort()).toEqual(['s0', 's2']);
    expect((await db.select().from(auditLog)).map((a) => a.at)).toEqual([inside(365)]);
    expect((await db.select().from(keyChanges)).map((k) => k.at)).toEqual([inside(7)]);
    expect((await db.select().from(rotationScans)).map((s) => s.ranAt)).toEqual([inside(90)]);
    expect(deleted).toMatchObject({
      'deliveries (of resolved alerts)': 1,
      'deliveries (without an alert)': 1,
      'alerts (resolved)': 1,
      'silences (expired)': 1,
      audit_log: 1,
      key_changes: 1,
      rotation_scans: 2,
    });
  });

  it('keeps the latest rotation scan however old: it dates the catch-up at start', async () => {
    const { db } = ctx.database;
    await db.delete(rotationScans);
    const scan = (ranAt: Date) => ({ ranAt, asOf: ranAt, flagged: 0, reminded: 0, durationMs: 1 });
    await db.insert(rotationScans).values([scan(outside(200)), scan(outside(100))]);
    await pruneExpired(db, now, ctx.config);
    expect((await db.select().from(rotationScans)).map((s) => s.ranAt)).toEqual([outside(100)]);
  });
});
