import { apiKeys, type Db } from '@keywatch/db';
import { type Channel, type DeliverJob, enqueueDelivery } from '@keywatch/jobs';
import type { Queue } from 'bullmq';
import { and, isNull, lt, or, gt, sql } from 'drizzle-orm';

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

/**
 * Flags, set-wise, every live key older than the limit (the SQL form of rules' needsRotationFlag)
 * and queues its first reminder. One replica at a time, by a transaction-scoped advisory lock.
 * Reminders are queued before the commit and deduplicated by (key, due date, channel), so a crash
 * between the two can only repeat a reminder request, never lose one.
 */
export async function runRotationScan({
  db,
  asOf,
  maxAgeDays,
  dryRun,
  deliver,
  channels,
}: RotationScanOptions): Promise<RotationScan> {
  const dueAt = sql`${apiKeys.createdAt} + make_interval(days => ${maxAgeDays})`;
  const due = and(
    isNull(apiKeys.rotationDueAt),
    isNull(apiKeys.rotatedAt),
    or(isNull(apiKeys.revokedAt), gt(apiKeys.revokedAt, asOf)),
    or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, asOf)),
    // created_at < asOf - maxAge, so the partial index on created_at serves it
    lt(apiKeys.createdAt, sql`${asOf.toISOString()}::timestamptz - make_interval(days => ${maxAgeDays})`),
  );

  return db.transaction(async (tx) => {
    const [lock] = await tx.execute<{ locked: boolean }>(
      sql`select pg_try_advisory_xact_lock(${ROTATION_LOCK}) as locked`,
    );
    if (!lock?.locked) return { flagged: [], reminded: [], skipped: true };
    if (dryRun) {
      const rows = await tx.select({ id: apiKeys.id }).from(apiKeys).where(due).orderBy(apiKeys.createdAt);
      return { flagged: rows.map((r) => r.id), reminded: [], skipped: false };
    }
    const flagged = await tx
      .update(apiKeys)
      .set({ rotationDueAt: sql`${dueAt}` })
      .where(due)
      .returning({ id: apiKeys.id, createdAt: apiKeys.createdAt, rotationDueAt: apiKeys.rotationDueAt });
    flagged.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    if (deliver) {
      for (const key of flagged) {
        for (const channel of channels) {
          await enqueueDelivery(deliver, {
            kind: 'rotation_reminder',
            keyId: key.id,
            channel,
            dueAt: key.rotationDueAt!.toISOString(),
          });
        }
      }
    }
    return {
      flagged: flagged.map((k) => k.id),
      reminded: deliver ? flagged.map((k) => k.id) : [],
      skipped: false,
    };
  });
}
