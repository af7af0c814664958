import { apiKeys, type Db, rotationReminders } from '@keywatch/db';
import { type Channel, type DeliverJob, enqueueDelivery } from '@keywatch/jobs';
import type { Queue } from 'bullmq';
import { and, eq, gt, isNotNull, isNull, lt, notExists, or, sql } from 'drizzle-orm';

// Any fixed number: only the replica holding it scans.
const ROTATION_LOCK = 4_811_021;

export interface RotationScanOptions {
  db: Db;
  asOf: Date;
  maxAgeDays: number;
  dryRun: boolean;
  /** Where reminders go; not needed for a dry run. */
  deliver?: Queue<DeliverJob>;
  channels: readonly Channel[];
}

/** The contract's summary: key ids flagged and reminded by this scan. */
export interface RotationScan {
  flagged: string[];
  reminded: string[];
  /** True when another replica held the scan lock and this one did nothing. */
  skipped: boolean;
}

const live = (asOf: Date) =>
  and(
    isNull(apiKeys.rotatedAt),
    or(isNull(apiKeys.revokedAt), gt(apiKeys.revokedAt, asOf)),
    or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, asOf)),
  );

/**
 * Flags, set-wise, every live key older than the limit (the SQL form of rules' needsRotationFlag),
 * then queues the first reminder of each flagged key that has none yet. One replica at a time, by
 * an advisory lock. Flags commit before any reminder is queued, so no row stays locked while Redis
 * is asked; a reminder that could not be queued is queued by the next scan, and the ledger keeps a
 * second scan from sending any twice.
 */
export async function runRotationScan({
  db,
  asOf,
  maxAgeDays,
  dryRun,
  deliver,
  channels,
}: RotationScanOptions): Promise<RotationScan> {
  // Days of 24 hours, whatever the session's time zone does around daylight saving.
  const maxAge = sql`${maxAgeDays} * interval '24 hours'`;
  const due = and(
    isNull(apiKeys.rotationDueAt),
    live(asOf),
    // created_at < asOf - maxAge, so the partial index on created_at serves it
    lt(apiKeys.createdAt, sql`${asOf.toISOString()}::timestamptz - ${maxAge}`),
  );

  const flagged = await db.transaction(async (tx) => {
    const [lock] = await tx.execute<{ locked: boolean }>(
      sql`select pg_try_advisory_xact_lock(${ROTATION_LOCK}) as locked`,
    );
    if (!lock?.locked) return null;
    if (dryRun) {
      const rows = await tx.select({ id: apiKeys.id, createdAt: apiKeys.createdAt }).from(apiKeys).where(due);
      return rows;
    }
    return tx
      .update(apiKeys)
      .set({ rotationDueAt: sql`${apiKeys.createdAt} + ${maxAge}` })
      .where(due)
      .returning({ id: apiKeys.id, createdAt: apiKeys.createdAt });
  });
  if (flagged === null) return { flagged: [], reminded: [], skipped: true };
  const flaggedIds = flagged.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map((k) => k.id);
  if (dryRun || !deliver) return { flagged: flaggedIds, reminded: [], skipped: false };

  const unreminded = await db
    .select({ id: apiKeys.id, dueAt: apiKeys.rotationDueAt })
    .from(apiKeys)
    .where(
      and(
        isNotNull(apiKeys.rotationDueAt),
        live(asOf),
        notExists(
          db
            .select({ one: sql`1` })
            .from(rotationReminders)
            .where(
              and(
                eq(rotationReminders.keyId, apiKeys.id),
                eq(rotationReminders.dueAt, apiKeys.rotationDueAt),
              ),
            ),
        ),
      ),
    )
    .orderBy(apiKeys.rotationDueAt);
  const reminded: string[] = [];
  for (const key of unreminded) {
    const dueAt = key.dueAt!.toISOString();
    for (const channel of channels)
      await enqueueDelivery(deliver, { kind: 'rotation_reminder', keyId: key.id, channel, dueAt });
    // Copied from the row, not from JS: Postgres keeps microseconds that a Date would lose.
    await db.execute(sql`
      insert into ${rotationReminders} (key_id, due_at, sequence)
      select id, rotation_due_at, 0 from ${apiKeys} where id = ${key.id}
      on conflict do nothing`);
    reminded.push(key.id);
  }
  return { flagged: flaggedIds, reminded, skipped: false };
}
