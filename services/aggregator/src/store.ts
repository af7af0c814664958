import {
  apiKeys,
  consumerOffsets,
  type Db,
  usageBuckets,
  usageCodeCounts,
  usageCountryCounts,
} from '@keywatch/db';
import { and, eq, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { UsageDelta } from './fold.ts';

export interface PartitionPosition {
  groupId: string;
  topic: string;
  partition: number;
}

/** The next offset to apply for a partition, or null when the group has never applied any. */
export async function storedOffset(db: Db, at: PartitionPosition): Promise<bigint | null> {
  const [row] = await db
    .select({ next: consumerOffsets.nextOffset })
    .from(consumerOffsets)
    .where(positionIs(at));
  return row?.next ?? null;
}

const positionIs = (at: PartitionPosition) =>
  and(
    eq(consumerOffsets.groupId, at.groupId),
    eq(consumerOffsets.topic, at.topic),
    eq(consumerOffsets.partition, at.partition),
  );

const CHUNK = 4000; // rows per statement, well under Postgres' 65,535 parameters
const addExcluded = (column: PgColumn): SQL => sql`${column} + excluded.${sql.identifier(column.name)}`;

/**
 * Applies a batch in ONE transaction: the deltas and the partition's next offset commit together,
 * so a crash or rebalance at any moment neither loses nor double-counts an event. Messages below
 * the stored offset were already applied (a redelivery) and are skipped by `fold`.
 */
export async function applyBatch(
  db: Db,
  at: PartitionPosition,
  nextOffset: bigint,
  fold: (alreadyAppliedBelow: bigint | null) => UsageDelta,
): Promise<UsageDelta | null> {
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ next: consumerOffsets.nextOffset })
      .from(consumerOffsets)
      .where(positionIs(at))
      .for('update');
    const applied = locked?.next ?? null;
    if (applied !== null && applied >= nextOffset) return null; // the whole batch was applied before
    const delta = fold(applied);

    for (let i = 0; i < delta.buckets.length; i += CHUNK) {
      await tx
        .insert(usageBuckets)
        .values(delta.buckets.slice(i, i + CHUNK))
        .onConflictDoUpdate({
          target: [usageBuckets.keyId, usageBuckets.granularity, usageBuckets.bucketStart],
          set: {
            total: addExcluded(usageBuckets.total),
            success: addExcluded(usageBuckets.success),
            failure: addExcluded(usageBuckets.failure),
          },
        });
    }
    for (let i = 0; i < delta.codes.length; i += CHUNK) {
      await tx
        .insert(usageCodeCounts)
        .values(delta.codes.slice(i, i + CHUNK).map(({ label, ...d }) => ({ ...d, code: label })))
        .onConflictDoUpdate({
          target: [
            usageCodeCounts.keyId,
            usageCodeCounts.granularity,
            usageCodeCounts.bucketStart,
            usageCodeCounts.code,
          ],
          set: { count: addExcluded(usageCodeCounts.count) },
        });
    }
    for (let i = 0; i < delta.countries.length; i += CHUNK) {
      await tx
        .insert(usageCountryCounts)
        .values(delta.countries.slice(i, i + CHUNK).map(({ label, ...d }) => ({ ...d, country: label })))
        .onConflictDoUpdate({
          target: [
            usageCountryCounts.keyId,
            usageCountryCounts.granularity,
            usageCountryCounts.bucketStart,
            usageCountryCounts.country,
          ],
          set: { count: addExcluded(usageCountryCounts.count) },
        });
    }
    for (const use of delta.lastUse) {
      // Only move forward: a late event must not make a key look less recently used.
      await tx
        .update(apiKeys)
        .set({ lastUsedAt: use.at, lastUsedIp: use.ip, lastUsedCountry: use.country })
        .where(
          and(eq(apiKeys.id, use.keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, use.at))),
        );
    }
    await tx
      .insert(consumerOffsets)
      .values({ ...at, nextOffset, updatedAt: new Date() })
      .onConflictDoUpdate({
        target: [consumerOffsets.groupId, consumerOffsets.topic, consumerOffsets.partition],
        set: { nextOffset, updatedAt: new Date() },
      });
    return delta;
  });
}
