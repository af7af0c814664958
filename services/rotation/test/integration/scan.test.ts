import { apiKeys, ensureOrg, issueKey } from '@keywatch/db';
import { createQueues, type Queues } from '@keywatch/jobs';
import { newKeySchema } from '@keywatch/keys';
import { createTestContext, type TestContext } from '@keywatch/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRotationScan } from '../../src/scan.ts';

let ctx: TestContext;
let queues: Queues;
const DAY = 86_400_000;
const asOf = new Date('2026-06-01T12:00:00Z');
const ago = (ms: number) => new Date(asOf.getTime() - ms);

beforeAll(async () => {
  ctx = await createTestContext('rotation');
  queues = createQueues(ctx.config);
});
afterAll(async () => {
  await queues?.close();
  await ctx?.close();
});

async function keyCreated(name: string, createdAt: Date, extra: Partial<typeof apiKeys.$inferInsert> = {}) {
  const org = await ensureOrg(ctx.database.db, 'rotation-org');
  const { key } = await issueKey(ctx.database.db, org.id, newKeySchema.parse({ name, scopes: ['chat'] }));
  await ctx.database.db
    .update(apiKeys)
    .set({ createdAt, ...extra })
    .where(eq(apiKeys.id, key.id));
  return key.id;
}

const scan = (over: Partial<Parameters<typeof runRotationScan>[0]> = {}) =>
  runRotationScan({
    db: ctx.database.db,
    asOf,
    maxAgeDays: 90,
    dryRun: false,
    deliver: queues.deliver,
    channels: ['log'],
    ...over,
  });

describe('rotation scan', () => {
  it('flags exactly the live keys older than 90 days, once, and queues a reminder for each', async () => {
    const ids = {
      young: await keyCreated('89d', ago(89 * DAY)),
      exactly90: await keyCreated('90d', ago(90 * DAY)),
      justOver: await keyCreated('90d+1s', ago(90 * DAY + 1000)),
      old: await keyCreated('200d', ago(200 * DAY)),
      revoked: await keyCreated('revoked', ago(200 * DAY), { revokedAt: ago(DAY) }),
      expired: await keyCreated('expired', ago(200 * DAY), { expiresAt: ago(DAY) }),
      expiresLater: await keyCreated('expires later', ago(120 * DAY), {
        expiresAt: new Date(asOf.getTime() + 30 * DAY),
      }),
    };
    const dry = await scan({ dryRun: true, deliver: undefined });
    expect(dry).toEqual({ flagged: [ids.old, ids.expiresLater, ids.justOver], reminded: [], skipped: false });
    const [unflagged] = await ctx.database.db.select().from(apiKeys).where(eq(apiKeys.id, ids.old));
    expect(unflagged!.rotationDueAt).toBeNull(); // a dry run writes nothing

    const first = await scan();
    expect(first.flagged).toEqual([ids.old, ids.expiresLater, ids.justOver]);
    expect(first.reminded).toEqual(first.flagged);
    const [old] = await ctx.database.db.select().from(apiKeys).where(eq(apiKeys.id, ids.old));
    expect(old!.rotationDueAt).toEqual(new Date(ago(200 * DAY).getTime() + 90 * DAY));
    const reminders = await queues.deliver.getJobs(['waiting', 'prioritized', 'delayed']);
    expect(
      reminders
        .map((j) => j.data)
        .filter((d) => d.kind === 'rotation_reminder')
        .map((d) => d.kind === 'rotation_reminder' && d.keyId)
        .sort(),
    ).toEqual([...first.flagged].sort());

    expect(await scan()).toEqual({ flagged: [], reminded: [], skipped: false });
  });

  it('lets one replica scan at a time: a second scan while the lock is held skips', async () => {
    await keyCreated('contended', ago(100 * DAY));
    const holder = await ctx.database.sql.reserve();
    try {
      await holder`begin`;
      await holder`select pg_advisory_xact_lock(4811021)`;
      expect(await scan()).toEqual({ flagged: [], reminded: [], skipped: true });
      await holder`commit`;
    } finally {
      holder.release();
    }
    const after = await scan();
    expect(after.flagged).toHaveLength(1);
  });
});
