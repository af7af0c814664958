import { ensureOrg, rotationReminders, rotationScans } from '@keywatch/db';
import { freePort } from '@keywatch/infra';
import { createQueues, type Queues } from '@keywatch/jobs';
import {
  createTestContext,
  insertBulkKeys,
  type ServiceProcess,
  startService,
  type TestContext,
  waitFor,
} from '@keywatch/testkit';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let ctx: TestContext;
let queues: Queues;
const KEYS = 3000;

beforeAll(async () => {
  ctx = await createTestContext('rotation-replicas');
  queues = createQueues(ctx.config);
});
afterAll(async () => {
  await queues?.close();
  await ctx?.close();
});

// Every second by default, so that replicas reach for the lock at the same moment again and again.
const startRotation = async (cron = '* * * * * *') => {
  const port = await freePort();
  return startService(
    'rotation',
    { ...ctx.env, ROTATION_PORT: String(port), ROTATION_CRON: cron, LOG_LEVEL: 'info' },
    port,
  );
};
const CAUGHT_UP = 'the last scheduled rotation scan was missed';
const skips = (p: ServiceProcess) => p.output().split('rotation scan skipped').length - 1;

describe('rotation at start-up', () => {
  it('scans at once when the last scheduled scan was missed, and not when it ran', async () => {
    // Once a year, on a date that has passed: the scan it schedules was missed (none ran yet).
    const yearly = '0 9 1 1 *';
    const first = await startRotation(yearly);
    await waitFor('the catch-up scan recorded', async () => {
      const scans = await ctx.database.db.select().from(rotationScans);
      return scans.length === 1;
    });
    expect(first.output()).toContain(CAUGHT_UP);
    expect(await first.stop()).toBe(0);

    // Healthy means started: the decision to catch up is taken before the ops server answers.
    const second = await startRotation(yearly);
    expect(await second.stop()).toBe(0);
    expect(second.output()).not.toContain(CAUGHT_UP);
    expect(await ctx.database.db.select().from(rotationScans)).toHaveLength(1);
  });
});

describe('two rotation replicas at once', () => {
  it('one scans while the other skips, and no reminder is queued twice', async () => {
    const { id: orgId } = await ensureOrg(ctx.database.db, 'replicas-org');
    await insertBulkKeys(ctx.database.db, { orgId, count: KEYS, asOf: new Date(), dueEvery: 1 });
    const replicas = await Promise.all([startRotation(), startRotation()]);
    try {
      await waitFor(
        'every key reminded, and a scan skipped by one replica while the other held the lock',
        async () => {
          const [ledger] = await ctx.database.db
            .select({ n: sql<number>`count(*)::int` })
            .from(rotationReminders);
          return ledger!.n === KEYS && replicas.some((r) => skips(r) > 0);
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
    } finally {
      expect(await Promise.all(replicas.map((r) => r.stop()))).toEqual([0, 0]);
    }
    const scans = await ctx.database.db.select().from(rotationScans);
    expect(scans.reduce((sum, s) => sum + s.flagged, 0)).toBe(KEYS);
    expect(scans.reduce((sum, s) => sum + s.reminded, 0)).toBe(KEYS);
    const jobs = await queues.deliver.getJobs(['waiting', 'prioritized', 'delayed']);
    // One message for the org's one route (the log), standing for every key once.
    const digests = jobs.flatMap((j) => (j.data.kind === 'rotation_digest' ? [j.data] : []));
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ channel: 'log', orgId, total: KEYS, keys: KEYS });
    expect(jobs.filter((j) => j.data.kind === 'rotation_reminder')).toEqual([]);
  });
});
