import { connect, ensureOrg } from '@keywatch/db';
import { createQueues } from '@keywatch/jobs';
import { runRotationScan } from '@keywatch/rotation-scan';
import { insertBulkKeys } from '@keywatch/testkit';
import { sql } from 'drizzle-orm';

const KEYS = 1_000_000;
const DUE_EVERY = 10; // 10 % of them due

/**
 * One rotation scan over a million keys of which a tenth are due: it flags them and queues their
 * first reminders on the real deliver queue (Redis), as the scheduled scan does: one message per
 * destination, so the one org's keys on the log channel are one deliver job.
 */
export async function benchRotation(env: Record<string, string>, log: (line: string) => void) {
  const database = connect(env.DATABASE_URL!, { max: 4 });
  const queues = createQueues({ REDIS_URL: env.REDIS_URL!, REDIS_PREFIX: env.REDIS_PREFIX! });
  try {
    const asOf = new Date();
    const org = await ensureOrg(database.db, 'bench-rotation');
    log(`rotation: inserting ${KEYS} keys`);
    await insertBulkKeys(database.db, { orgId: org.id, count: KEYS, asOf, dueEvery: DUE_EVERY });
    // As autovacuum leaves a table of long-lived keys: hint bits set, statistics fresh.
    await database.db.execute(sql`vacuum analyze api_keys`);

    log('rotation: one scan');
    const started = performance.now();
    const scan = await runRotationScan({
      database,
      asOf,
      policy: { maxAgeDays: 90, remindEveryDays: 7, escalateAfterDays: 30 },
      dryRun: false,
      deliver: queues.deliver,
      channels: { available: ['log'], defaults: ['log'], policy: {} },
    });
    const seconds = Math.round(((performance.now() - started) / 1000) * 100) / 100;
    const due = KEYS / DUE_EVERY;
    if (scan.flagged.length !== due || scan.reminded.length !== due)
      throw new Error(`flagged ${scan.flagged.length} and reminded ${scan.reminded.length}, expected ${due}`);
    const deliverJobs = await queues.deliver.getJobCountByTypes('waiting', 'prioritized', 'delayed');
    log(`rotation: ${seconds} s, ${deliverJobs} deliver jobs queued`);
    return { keys: KEYS, due, seconds, deliverJobs };
  } finally {
    await queues.close();
    await database.close();
  }
}
