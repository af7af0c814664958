import { apiKeys, ensureOrg, orgs, rotationReminders, rotationScans } from '@keywatch/db';
import { createQueues, type DeliverJob, type Queues } from '@keywatch/jobs';
import { issueKey, rotateKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import type { AlertSettings } from '@keywatch/rules';
import { createTestContext, insertBulkKeys, type TestContext } from '@keywatch/testkit';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRotationScan } from '../../src/scan.ts';

let ctx: TestContext;
let queues: Queues;
const DAY = 86_400_000;
const asOf = new Date('2026-06-01T12:00:00Z');
const ago = (ms: number) => new Date(asOf.getTime() - ms);
const policy = { maxAgeDays: 90, remindEveryDays: 7, escalateAfterDays: 30 };

beforeAll(async () => {
  ctx = await createTestContext('rotation');
  queues = createQueues(ctx.config);
});
afterAll(async () => {
  await queues?.close();
  await ctx?.close();
});

async function keyCreated(
  name: string,
  createdAt: Date,
  extra: Partial<typeof apiKeys.$inferInsert> = {},
  org = 'rotation-org',
) {
  const { id: orgId } = await ensureOrg(ctx.database.db, org);
  const spec = newKeySchema.parse({ name, scopes: ['chat'] });
  const { key } = await issueKey(ctx.database.db, orgId, spec);
  await ctx.database.db
    .update(apiKeys)
    .set({ createdAt, ...extra })
    .where(eq(apiKeys.id, key.id));
  return key.id;
}

const scan = (over: Partial<Parameters<typeof runRotationScan>[0]> = {}) =>
  runRotationScan({
    database: ctx.database,
    asOf,
    policy,
    dryRun: false,
    deliver: queues.deliver,
    channels: { available: ['log'], defaults: ['log'], policy: {} },
    ...over,
  });

type Digest = Extract<DeliverJob, { kind: 'rotation_digest' }>;
/** The rotation digests queued, one per message. */
async function digests(): Promise<Digest[]> {
  const jobs = await queues.deliver.getJobs(['waiting', 'prioritized', 'delayed']);
  return jobs.map((j) => j.data).filter((d): d is Digest => d.kind === 'rotation_digest');
}

/** The reminders queued for these keys, as `kind#sequence channel[:to]`, one per line. */
async function queuedFor(keyIds: string[]): Promise<string[]> {
  return (await digests())
    .flatMap((d) =>
      d.listed
        .filter((l) => keyIds.includes(l.keyId))
        .map((l) => `${l.reminder}#${l.sequence} ${d.channel}${d.to ? `:${d.to}` : ''}`),
    )
    .sort();
}

/** The messages queued that list any of these keys. */
const messagesAbout = async (keyIds: string[]) =>
  (await digests()).filter((d) => d.listed.some((l) => keyIds.includes(l.keyId)));

/** What `after` holds beyond `before` (lists with repeats). */
function added(before: string[], after: string[]): string[] {
  const left = [...before];
  return after.filter((line) => {
    const i = left.indexOf(line);
    if (i === -1) return true;
    left.splice(i, 1);
    return false;
  });
}

describe('rotation scan', () => {
  it('flags exactly the live keys older than 90 days, once, and queues a reminder for each', async () => {
    const ids = {
      young: await keyCreated('89d', ago(89 * DAY)),
      exactly90: await keyCreated('90d', ago(90 * DAY)),
      justOver: await keyCreated('90d+1s', ago(90 * DAY + 1000)),
      old: await keyCreated('200d', ago(200 * DAY)),
      revoked: await keyCreated('revoked', ago(200 * DAY), { revokedAt: ago(DAY) }),
      rotated: await keyCreated('rotated, in its grace period', ago(200 * DAY), {
        rotatedAt: ago(DAY),
        expiresAt: new Date(asOf.getTime() + DAY),
      }),
      revokedLater: await keyCreated('revoked after asOf', ago(150 * DAY), {
        revokedAt: new Date(asOf.getTime() + DAY),
      }),
      expired: await keyCreated('expired', ago(200 * DAY), { expiresAt: ago(DAY) }),
      expiresLater: await keyCreated('expires later', ago(120 * DAY), {
        expiresAt: new Date(asOf.getTime() + 30 * DAY),
      }),
    };
    const all = Object.values(ids);
    const dry = await scan({ dryRun: true, deliver: undefined });
    expect(dry).toEqual({ flagged: [ids.old, ids.expiresLater, ids.justOver], reminded: [], skipped: false });
    // A dry run writes and sends nothing.
    const [unflagged] = await ctx.database.db.select().from(apiKeys).where(eq(apiKeys.id, ids.old));
    expect(unflagged!.rotationDueAt).toBeNull();
    expect(await queuedFor(all)).toEqual([]);
    expect(await ctx.database.db.select().from(rotationScans)).toEqual([]);

    const first = await scan();
    expect(first.flagged).toEqual([ids.old, ids.expiresLater, ids.justOver]);
    expect(first.reminded).toEqual(first.flagged);
    const [old] = await ctx.database.db.select().from(apiKeys).where(eq(apiKeys.id, ids.old));
    expect(old!.rotationDueAt).toEqual(new Date(ago(200 * DAY).getTime() + 90 * DAY));
    // Due 110 and 30 days ago, two of them are escalated at once too.
    const queued = [
      'escalation#0 log',
      'escalation#0 log',
      'rotation#0 log',
      'rotation#0 log',
      'rotation#0 log',
    ];
    expect(await queuedFor(all)).toEqual(queued);
    // One message for them all on the one route, the escalations of the two most overdue first.
    const [message, ...others] = await messagesAbout(all);
    expect(others).toEqual([]);
    expect(message).toMatchObject({ channel: 'log', total: 5, keys: 3, escalations: 2 });
    expect(message!.listed.map((l) => [l.keyId, l.reminder])).toEqual([
      [ids.old, 'escalation'],
      [ids.old, 'rotation'],
      [ids.expiresLater, 'escalation'],
      [ids.expiresLater, 'rotation'],
      [ids.justOver, 'rotation'],
    ]);

    expect(await scan()).toEqual({ flagged: [], reminded: [], skipped: false });
    expect(await queuedFor(all)).toEqual(queued);
    const scans = await ctx.database.db.select().from(rotationScans);
    expect(scans.map((s) => [s.asOf, s.flagged, s.reminded])).toEqual([
      [asOf, 3, 3],
      [asOf, 0, 0],
    ]);
  });

  it('lets one replica scan at a time: a second scan while the lock is held skips', async () => {
    await keyCreated('contended', ago(100 * DAY));
    const holder = await ctx.database.sql.reserve();
    try {
      await holder`select pg_advisory_lock(4811021)`;
      expect(await scan()).toEqual({ flagged: [], reminded: [], skipped: true });
      await holder`select pg_advisory_unlock(4811021)`;
    } finally {
      holder.release();
    }
    const after = await scan();
    expect(after.flagged).toHaveLength(1);
  });

  it('reminds at 91 days, again at 98, and escalates at 121 to the security channel, each once', async () => {
    const { id: orgId } = await ensureOrg(ctx.database.db, 'cadence-org');
    const security: AlertSettings = { channels: { security: { slack: '#sec-oncall' } } };
    await ctx.database.db.update(orgs).set({ alerts: security }).where(eq(orgs.id, orgId));
    const born = new Date('2025-01-01T08:00:00Z');
    const spec = newKeySchema.parse({
      name: 'cadence',
      scopes: ['chat'],
      type: 'personal',
      ownerEmail: 'owner@example.com',
    });
    const { key } = await issueKey(ctx.database.db, orgId, spec);
    await ctx.database.db.update(apiKeys).set({ createdAt: born }).where(eq(apiKeys.id, key.id));
    const channels = {
      available: ['log', 'slack', 'email'] as const,
      defaults: ['slack'] as const,
      policy: {},
    };

    const seen: Record<number, string[]> = {};
    for (const days of [90, 91, 97, 98, 121]) {
      const at = new Date(born.getTime() + days * DAY);
      const before = await queuedFor([key.id]);
      const result = await scan({ asOf: at, channels });
      const again = await scan({ asOf: at, channels });
      expect(again).toEqual({ flagged: [], reminded: [], skipped: false });
      seen[days] = added(before, await queuedFor([key.id]));
      expect(result.reminded).toEqual(seen[days]!.length > 0 ? [key.id] : []);
    }
    expect(seen).toEqual({
      90: [],
      91: ['rotation#0 email:owner@example.com', 'rotation#0 slack'],
      97: [],
      98: ['rotation#1 email:owner@example.com', 'rotation#1 slack'],
      121: ['escalation#0 slack:#sec-oncall', 'rotation#2 email:owner@example.com', 'rotation#2 slack'],
    });
  });

  it('reminds of expiry once at 14, 7 and 1 days left', async () => {
    const expiresAt = new Date('2026-07-01T00:00:00Z');
    const id = await keyCreated('expiring', new Date('2026-06-01T00:00:00Z'), { expiresAt });
    const dayBefore = (n: number) => new Date(expiresAt.getTime() - n * DAY);
    const reminded = [];
    for (const at of [
      dayBefore(20),
      dayBefore(14),
      dayBefore(13),
      dayBefore(7),
      dayBefore(1.5),
      dayBefore(1),
    ])
      reminded.push((await scan({ asOf: at })).reminded.includes(id));
    expect(reminded).toEqual([false, true, false, true, false, true]);
    expect(await queuedFor([id])).toEqual(['expiry#1 log', 'expiry#14 log', 'expiry#7 log']);
  });

  it('stops reminding a key once it is rotated or revoked; its successor starts at age zero', async () => {
    const rotated = await keyCreated('to rotate', ago(100 * DAY));
    const revoked = await keyCreated('to revoke', ago(100 * DAY));
    expect((await scan()).reminded.sort()).toEqual([rotated, revoked].sort());
    const { id: orgId } = await ensureOrg(ctx.database.db, 'rotation-org');
    const rotation = await rotateKey(ctx.database.db, orgId, rotated, DAY, null, { now: asOf });
    if (!rotation.ok) throw new Error(rotation.reason);
    await ctx.database.db.update(apiKeys).set({ revokedAt: asOf }).where(eq(apiKeys.id, revoked));

    const [old] = await ctx.database.db.select().from(apiKeys).where(eq(apiKeys.id, rotated));
    expect(old!.rotationDueAt).toBeNull();
    const weekLater = new Date(asOf.getTime() + 8 * DAY);
    const later = await scan({ asOf: weekLater });
    expect(later.reminded).not.toContain(rotated);
    expect(later.reminded).not.toContain(revoked);
    expect(later.flagged).not.toContain(rotation.issued.key.id);
    const ledger = await ctx.database.db
      .select()
      .from(rotationReminders)
      .where(inArray(rotationReminders.keyId, [rotated, revoked, rotation.issued.key.id]));
    expect(ledger).toHaveLength(2);
  });

  it('reminds a key flagged now that also expires soon of both, once each', async () => {
    const id = await keyCreated(
      'due and expiring',
      ago(100 * DAY),
      { expiresAt: new Date(asOf.getTime() + 5 * DAY) },
      'both-org',
    );
    const result = await scan();
    expect(result.flagged).toEqual([id]);
    expect(result.reminded.filter((reminded) => reminded === id)).toEqual([id]);
    expect(await queuedFor([id])).toEqual(['expiry#7 log', 'rotation#0 log']);
  });

  it('queues one message per org and route, listing the most overdue keys and counting them all', async () => {
    const at = new Date('2026-09-01T09:00:00Z');
    const { id: big } = await ensureOrg(ctx.database.db, 'digest-big');
    const { id: small } = await ensureOrg(ctx.database.db, 'digest-small');
    // 50 keys due about 10 days ago, key i created i seconds before the next; and 2 of another org.
    await insertBulkKeys(ctx.database.db, { orgId: big, count: 50, asOf: at, dueEvery: 1 });
    await insertBulkKeys(ctx.database.db, { orgId: small, count: 2, asOf: at, dueEvery: 1 });
    const before = new Set((await digests()).map((d) => d.group));
    const result = await scan({ asOf: at });
    const queued = (await digests()).filter((d) => !before.has(d.group));
    const of = (orgId: string) => queued.filter((d) => d.orgId === orgId);
    expect(of(big)).toHaveLength(1);
    expect(of(small)).toHaveLength(1);
    const [message] = of(big);
    expect(message).toMatchObject({ channel: 'log', total: 50, keys: 50, escalations: 0 });
    const names = await ctx.database.db
      .select({ id: apiKeys.id, name: apiKeys.name })
      .from(apiKeys)
      .where(eq(apiKeys.orgId, big));
    const nameOf = new Map(names.map((k) => [k.id, k.name]));
    expect(message!.listed.map((l) => nameOf.get(l.keyId))).toEqual(
      Array.from({ length: 20 }, (_, i) => `bulk-${50 - i}`),
    );
    expect(of(small)[0]!.listed).toHaveLength(2);
    expect(result.reminded).toEqual(expect.arrayContaining([...names.map((k) => k.id)]));
  });

  it('queues the same message again when a scan crashed before recording its reminders', async () => {
    const id = await keyCreated('crashed', ago(95 * DAY), {}, 'digest-crash');
    await scan();
    const [first, ...others] = await messagesAbout([id]);
    expect(others).toEqual([]);
    // As if the scan had died between queuing and recording: the ledger never heard of it.
    await ctx.database.db.delete(rotationReminders).where(eq(rotationReminders.keyId, id));
    const later = await scan({ asOf: new Date(asOf.getTime() + 3_600_000) });
    expect(later.reminded).toEqual([id]);
    expect((await messagesAbout([id])).map((d) => d.group)).toEqual([first!.group]);
  });
});
