import {
  apiKeys,
  consumerOffsets,
  type Db,
  pendingEvaluations,
  producerSequences,
  usageBuckets,
  usageCodeCounts,
  usageCountryCounts,
} from '@keywatch/db';
import type { AuthEvent } from '@keywatch/events';
import { and, eq, inArray, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { foldEvents, type UsageDelta } from './fold.ts';
import { dropReplays } from './replays.ts';

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

export interface OffsetEvent {
  offset: bigint;
  event: AuthEvent;
}

export interface AppliedBatch {
  delta: UsageDelta;
  /** Messages below the stored offset: Kafka delivered them again (rebalance, lost commit). */
  redelivered: number;
  /** Events a producer sent again (resent batch, spool replay), dropped by sequence number. */
  replays: number;
}

/**
 * Applies a batch in ONE transaction: the deltas, the partition's next offset and the producers'
 * sequence marks commit together, so a crash or rebalance at any moment neither loses nor
 * double-counts an event. `nextOffset` is one past the batch's last message, decodable or not.
 */
export async function applyBatch(
  db: Db,
  at: PartitionPosition,
  nextOffset: bigint,
  messages: readonly OffsetEvent[],
): Promise<AppliedBatch | null> {
  return db.transaction(async (tx) => {
    // Make sure there is a row to lock: two members applying a partition's very first batch at
    // once (mid-rebalance) must queue up here, not both see "nothing applied".
    await tx
      .insert(consumerOffsets)
      .values({ ...at, nextOffset: 0n })
      .onConflictDoNothing();
    const [locked] = await tx
      .select({ next: consumerOffsets.nextOffset })
      .from(consumerOffsets)
      .where(positionIs(at))
      .for('update');
    const applied = locked!.next;
    if (applied >= nextOffset) return null; // the whole batch was applied before
    const unseen = messages.filter((m) => m.offset >= applied);

    const producerIds = [...new Set(unseen.flatMap((m) => (m.event.producerId ? [m.event.producerId] : [])))];
    const marks =
      producerIds.length === 0
        ? []
        : await tx
            .select({ producerId: producerSequences.producerId, maxSeq: producerSequences.maxSeq })
            .from(producerSequences)
            .where(
              and(
                eq(producerSequences.groupId, at.groupId),
                eq(producerSequences.partition, at.partition),
                inArray(producerSequences.producerId, producerIds),
              ),
            )
            .for('update');
    const { fresh, replays, maxSeq } = dropReplays(
      unseen.map((m) => m.event),
      new Map(marks.map((m) => [m.producerId, m.maxSeq])),
    );
    const delta = foldEvents(fresh);

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
    if (delta.lastUse.length > 0) {
      // The outbox of evaluation requests: committed with the counts, so none is lost.
      await tx
        .insert(pendingEvaluations)
        .values(delta.lastUse.map((u) => ({ keyId: u.keyId })))
        .onConflictDoUpdate({ target: pendingEvaluations.keyId, set: { requestedAt: new Date() } });
    }
    if (maxSeq.size > 0) {
      await tx
        .insert(producerSequences)
        .values(
          [...maxSeq].map(([producerId, seq]) => ({
            groupId: at.groupId,
            producerId,
            partition: at.partition,
            maxSeq: seq,
          })),
        )
        .onConflictDoUpdate({
          target: [producerSequences.groupId, producerSequences.producerId, producerSequences.partition],
          set: {
            maxSeq: sql`greatest(${producerSequences.maxSeq}, excluded.max_seq)`,
            updatedAt: new Date(),
          },
        });
    }
    await tx
      .insert(consumerOffsets)
      .values({ ...at, nextOffset, updatedAt: new Date() })
      .onConflictDoUpdate({
        target: [consumerOffsets.groupId, consumerOffsets.topic, consumerOffsets.partition],
        set: { nextOffset, updatedAt: new Date() },
      });
    return { delta, redelivered: messages.length - unseen.length, replays };
  });
}

/**
 * Evaluation requests waiting in the outbox for longer than `olderThanMs`: their queueing after
 * commit failed (Redis away) or the process stopped in between.
 */
export async function staleEvaluationRequests(db: Db, olderThanMs: number, limit = 1000): Promise<string[]> {
  const rows = await db
    .select({ keyId: pendingEvaluations.keyId })
    .from(pendingEvaluations)
    .where(lt(pendingEvaluations.requestedAt, new Date(Date.now() - olderThanMs)))
    .limit(limit);
  return rows.map((r) => r.keyId);
}

/** Removes requests once queued, unless a newer batch asked again meanwhile. */
export async function clearEvaluationRequests(db: Db, keyIds: string[], queuedAt: Date): Promise<void> {
  if (keyIds.length === 0) return;
  await db
    .delete(pendingEvaluations)
    .where(and(inArray(pendingEvaluations.keyId, keyIds), lte(pendingEvaluations.requestedAt, queuedAt)));
}
