import {
  apiKeys,
  assignments,
  consumerOffsets,
  type Db,
  excluded,
  keyCountries,
  keyHourlyIps,
  keylessFailures,
  orgUsageBuckets,
  orgUsageCodeCounts,
  orgUsageCountryCounts,
  pendingEvaluations,
  producerSequences,
  unnestRows,
  unnestUpsert,
  usageBuckets,
  usageCodeCounts,
  usageCountryCounts,
} from '@keywatch/db';
import type { AuthEvent } from '@keywatch/events';
import { dropReplays, foldEvents, type UsageDelta } from '@keywatch/usage-fold';
import { and, eq, inArray, lt, lte, type SQL, sql } from 'drizzle-orm';

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
    const writes = [
      ...deltaWrites(delta, at.partition),
      // The outbox of evaluation requests: committed with the counts, so none is lost.
      delta.lastUse.length === 0
        ? null
        : tx
            .insert(pendingEvaluations)
            .values(delta.lastUse.map((u) => ({ keyId: u.keyId })))
            .onConflictDoUpdate({ target: pendingEvaluations.keyId, set: { requestedAt: new Date() } }),
      maxSeq.size === 0
        ? null
        : tx
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
                maxSeq: sql`greatest(${producerSequences.maxSeq}, ${excluded(producerSequences.maxSeq)})`,
                updatedAt: new Date(),
              },
            }),
      tx
        .insert(consumerOffsets)
        .values({ ...at, nextOffset, updatedAt: new Date() })
        .onConflictDoUpdate({
          target: [consumerOffsets.groupId, consumerOffsets.topic, consumerOffsets.partition],
          set: { nextOffset, updatedAt: new Date() },
        }),
    ].filter((w) => w !== null);
    // Every write of the batch in one round trip: data-modifying CTEs, each on its own table.
    await tx.execute(
      sql`with ${sql.join(
        // getSQL(): a query builder embedded as itself would come wrapped in a second pair of parentheses.
        writes.map((w, i) => sql`${sql.identifier(`w${i}`)} as (${w.getSQL()})`),
        sql`, `,
      )} select 1`,
    );
    return { delta, redelivered: messages.length - unseen.length, replays };
  });
}

const iso = (d: Date) => d.toISOString();

/**
 * The statements that add a batch's deltas to every aggregate table (none for an empty one); the
 * org's sums go to the rows of `shard` (the partition being applied), which no other partition's
 * transaction touches.
 */
function deltaWrites(delta: UsageDelta, shard: number): (SQL | null)[] {
  const { buckets, codes, countries, countriesSeen, hourlyIps, keyless, lastUse } = delta;
  const bucketed = (rows: readonly { granularity: string; bucketStart: Date }[]) => ({
    granularity: rows.map((r) => r.granularity),
    bucketStart: rows.map((r) => iso(r.bucketStart)),
  });
  const inShard = (rows: readonly { orgId: string }[]) => ({
    orgId: rows.map((r) => r.orgId),
    shard: rows.map(() => shard),
  });
  const totals = (rows: readonly { total: number; success: number; failure: number }[]) => ({
    total: rows.map((r) => r.total),
    success: rows.map((r) => r.success),
    failure: rows.map((r) => r.failure),
  });
  const labelled = (rows: readonly { label: string; count: number }[]) => rows.map((r) => r.label);
  const counts = (rows: readonly { count: number }[]) => rows.map((r) => r.count);
  return [
    unnestUpsert(
      usageBuckets,
      { keyId: buckets.map((b) => b.keyId), ...bucketed(buckets), ...totals(buckets) },
      ['keyId', 'granularity', 'bucketStart'],
      { add: ['total', 'success', 'failure'] },
    ),
    unnestUpsert(
      orgUsageBuckets,
      { ...inShard(delta.orgBuckets), ...bucketed(delta.orgBuckets), ...totals(delta.orgBuckets) },
      ['orgId', 'shard', 'granularity', 'bucketStart'],
      { add: ['total', 'success', 'failure'] },
    ),
    unnestUpsert(
      usageCodeCounts,
      { keyId: codes.map((c) => c.keyId), ...bucketed(codes), code: labelled(codes), count: counts(codes) },
      ['keyId', 'granularity', 'bucketStart', 'code'],
      { add: ['count'] },
    ),
    unnestUpsert(
      usageCountryCounts,
      {
        keyId: countries.map((c) => c.keyId),
        ...bucketed(countries),
        country: labelled(countries),
        count: counts(countries),
      },
      ['keyId', 'granularity', 'bucketStart', 'country'],
      { add: ['count'] },
    ),
    unnestUpsert(
      orgUsageCodeCounts,
      {
        ...inShard(delta.orgCodes),
        ...bucketed(delta.orgCodes),
        code: labelled(delta.orgCodes),
        count: counts(delta.orgCodes),
      },
      ['orgId', 'shard', 'granularity', 'bucketStart', 'code'],
      { add: ['count'] },
    ),
    unnestUpsert(
      orgUsageCountryCounts,
      {
        ...inShard(delta.orgCountries),
        ...bucketed(delta.orgCountries),
        country: labelled(delta.orgCountries),
        count: counts(delta.orgCountries),
      },
      ['orgId', 'shard', 'granularity', 'bucketStart', 'country'],
      { add: ['count'] },
    ),
    unnestUpsert(
      keyCountries,
      {
        keyId: countriesSeen.map((c) => c.keyId),
        country: countriesSeen.map((c) => c.country),
        firstSeenAt: countriesSeen.map((c) => iso(c.firstSeenAt)),
        lastSeenAt: countriesSeen.map((c) => iso(c.lastSeenAt)),
        count: counts(countriesSeen),
      },
      ['keyId', 'country'],
      sql`do update set ${assignments(keyCountries, {
        firstSeenAt: sql`least(${keyCountries.firstSeenAt}, ${excluded(keyCountries.firstSeenAt)})`,
        lastSeenAt: sql`greatest(${keyCountries.lastSeenAt}, ${excluded(keyCountries.lastSeenAt)})`,
        count: sql`${keyCountries.count} + ${excluded(keyCountries.count)}`,
      })}`,
    ),
    unnestUpsert(
      keyHourlyIps,
      {
        keyId: hourlyIps.map((h) => h.keyId),
        hourStart: hourlyIps.map((h) => iso(h.hourStart)),
        ip: hourlyIps.map((h) => h.ip),
      },
      ['keyId', 'hourStart', 'ip'],
      'do nothing',
    ),
    unnestUpsert(
      keylessFailures,
      {
        ip: keyless.map((k) => k.ip),
        bucketStart: keyless.map((k) => iso(k.bucketStart)),
        count: counts(keyless),
      },
      ['ip', 'bucketStart'],
      { add: ['count'] },
    ),
    lastUse.length === 0 ? null : lastUseWrite(lastUse),
  ];
}

/** Each key's last use, set only forward: a late event must not make a key look less recently used. */
function lastUseWrite(lastUse: UsageDelta['lastUse']): SQL {
  const u = unnestRows('u', {
    id: [apiKeys.id, lastUse.map((l) => l.keyId)],
    at: [apiKeys.lastUsedAt, lastUse.map((l) => iso(l.at))],
    ip: [apiKeys.lastUsedIp, lastUse.map((l) => l.ip)],
    country: [apiKeys.lastUsedCountry, lastUse.map((l) => l.country)],
  });
  return sql`update ${apiKeys} set ${assignments(apiKeys, {
    lastUsedAt: u.ref.at,
    lastUsedIp: u.ref.ip,
    lastUsedCountry: u.ref.country,
  })}
    from ${u.from}
    where ${apiKeys.id} = ${u.ref.id} and (${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} < ${u.ref.at})`;
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
