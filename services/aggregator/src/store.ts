import {
  column,
  consumerOffsets,
  type Db,
  pendingEvaluations,
  producerSequences,
  type Tx,
} from '@keywatch/db';
import type { AuthEvent } from '@keywatch/events';
import { and, eq, inArray, lt, lte, sql } from 'drizzle-orm';
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
    await writeDelta(tx, delta, at.partition);
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

type Column = [name: string, type: string, values: (string | number | null)[]];

/**
 * `insert … select from unnest(…) on conflict …`: any number of rows in one statement with one
 * parameter per column. `onConflict` is the clause after the conflict target.
 */
async function upsert(tx: Tx, table: string, key: string[], columns: Column[], onConflict: string) {
  if (columns[0]![2].length === 0) return;
  const names = sql.raw(columns.map(([name]) => `"${name}"`).join(', '));
  const values = sql.join(
    columns.map(([, type, list]) => column(list, type)),
    sql`, `,
  );
  await tx.execute(
    sql`insert into ${sql.identifier(table)} (${names}) select * from unnest(${values}) on conflict (${sql.raw(key.join(', '))}) ${sql.raw(onConflict)}`,
  );
}

const iso = (d: Date) => d.toISOString();
const bucketOf = (rows: readonly { granularity: string; bucketStart: Date }[]): Column[] => [
  ['granularity', 'text', rows.map((r) => r.granularity)],
  ['bucket_start', 'timestamptz', rows.map((r) => iso(r.bucketStart))],
];
const add = (table: string, ...names: string[]) =>
  `do update set ${names.map((n) => `${n} = ${table}.${n} + excluded.${n}`).join(', ')}`;

/**
 * Adds a batch's deltas to every aggregate table; the org's sums go to the rows of `shard` (the
 * partition being applied), which no other partition's transaction touches.
 */
async function writeDelta(tx: Tx, delta: UsageDelta, shard: number) {
  const { buckets, codes, countries, countriesSeen, hourlyIps, keyless, lastUse } = delta;
  // Per key, and per org in this partition's shard.
  const keys = (rows: readonly { keyId: string }[]): Column[] => [
    ['key_id', 'uuid', rows.map((r) => r.keyId)],
  ];
  const orgShard = (rows: readonly { orgId: string }[]): Column[] => [
    ['org_id', 'uuid', rows.map((r) => r.orgId)],
    ['shard', 'int4', rows.map(() => shard)],
  ];
  for (const [table, owner, rows] of [
    ['usage_buckets', keys(buckets), buckets],
    ['org_usage_buckets', orgShard(delta.orgBuckets), delta.orgBuckets],
  ] as const) {
    await upsert(
      tx,
      table,
      [...owner.map(([name]) => name), 'granularity', 'bucket_start'],
      [
        ...owner,
        ...bucketOf(rows),
        ['total', 'int8', rows.map((b) => b.total)],
        ['success', 'int8', rows.map((b) => b.success)],
        ['failure', 'int8', rows.map((b) => b.failure)],
      ],
      add(table, 'total', 'success', 'failure'),
    );
  }
  for (const [table, label, owner, rows] of [
    ['usage_code_counts', 'code', keys(codes), codes],
    ['usage_country_counts', 'country', keys(countries), countries],
    ['org_usage_code_counts', 'code', orgShard(delta.orgCodes), delta.orgCodes],
    ['org_usage_country_counts', 'country', orgShard(delta.orgCountries), delta.orgCountries],
  ] as const) {
    await upsert(
      tx,
      table,
      [...owner.map(([name]) => name), 'granularity', 'bucket_start', label],
      [
        ...owner,
        ...bucketOf(rows),
        [label, 'text', rows.map((r) => r.label)],
        ['count', 'int8', rows.map((r) => r.count)],
      ],
      add(table, 'count'),
    );
  }
  await upsert(
    tx,
    'key_countries',
    ['key_id', 'country'],
    [
      ['key_id', 'uuid', countriesSeen.map((c) => c.keyId)],
      ['country', 'text', countriesSeen.map((c) => c.country)],
      ['first_seen_at', 'timestamptz', countriesSeen.map((c) => iso(c.firstSeenAt))],
      ['last_seen_at', 'timestamptz', countriesSeen.map((c) => iso(c.lastSeenAt))],
      ['count', 'int8', countriesSeen.map((c) => c.count)],
    ],
    `do update set first_seen_at = least(key_countries.first_seen_at, excluded.first_seen_at),
      last_seen_at = greatest(key_countries.last_seen_at, excluded.last_seen_at),
      count = key_countries.count + excluded.count`,
  );
  await upsert(
    tx,
    'key_hourly_ips',
    ['key_id', 'hour_start', 'ip'],
    [
      ['key_id', 'uuid', hourlyIps.map((h) => h.keyId)],
      ['hour_start', 'timestamptz', hourlyIps.map((h) => iso(h.hourStart))],
      ['ip', 'text', hourlyIps.map((h) => h.ip)],
    ],
    'do nothing',
  );
  await upsert(
    tx,
    'keyless_failures',
    ['ip', 'bucket_start'],
    [
      ['ip', 'text', keyless.map((k) => k.ip)],
      ['bucket_start', 'timestamptz', keyless.map((k) => iso(k.bucketStart))],
      ['count', 'int8', keyless.map((k) => k.count)],
    ],
    add('keyless_failures', 'count'),
  );
  if (lastUse.length > 0) {
    const ids = column(
      lastUse.map((u) => u.keyId),
      'uuid',
    );
    const ats = column(
      lastUse.map((u) => iso(u.at)),
      'timestamptz',
    );
    const ips = column(
      lastUse.map((u) => u.ip),
      'text',
    );
    const countries = column(
      lastUse.map((u) => u.country),
      'text',
    );
    // Only forward: a late event must not make a key look less recently used.
    await tx.execute(sql`
      update api_keys k set last_used_at = u.at, last_used_ip = u.ip, last_used_country = u.country
      from unnest(${ids}, ${ats}, ${ips}, ${countries}) as u(id, at, ip, country)
      where k.id = u.id and (k.last_used_at is null or k.last_used_at < u.at)`);
  }
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
