import { isPastRotationDateSql } from '@keywatch/rules';
import { and, count, eq, gt, isNull, not, or, sql } from 'drizzle-orm';
import type { Db, Tx } from './client.ts';
import { keyset, type Page, type PageRequest } from './page.ts';
import { apiKeys, keyChanges, orgs } from './schema.ts';

export type Org = typeof orgs.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
/** A key row as written: its secret already hashed (`hash`, `prefix`); the secret is never stored. */
export type NewApiKey = typeof apiKeys.$inferInsert;

/** The org with this slug, created on first use. */
export async function ensureOrg(db: Db, slug: string, name = slug): Promise<Org> {
  await db.insert(orgs).values({ slug, name }).onConflictDoNothing({ target: orgs.slug });
  const [org] = await db.select().from(orgs).where(eq(orgs.slug, slug));
  return org!;
}

/** A key as the API and CLI show it: everything but the hash. */
export function keyView(key: ApiKey) {
  const { hash: _hash, lastUsedIp: _ip, ...visible } = key;
  return visible;
}
export type KeyView = ReturnType<typeof keyView>;

/** Who acts: the key that authenticated a management call, or null for the CLI. */
export type Actor = string | null;

export async function findKeyByHash(db: Db, hash: string): Promise<ApiKey | undefined> {
  const [key] = await db.select().from(apiKeys).where(eq(apiKeys.hash, hash));
  return key;
}

/** A key of this org, or undefined: another org's key is as good as absent. */
export async function findOrgKey(
  db: Db | Tx,
  orgId: string,
  id: string,
  forUpdate = false,
): Promise<ApiKey | undefined> {
  const query = db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, id)));
  const [key] = forUpdate ? await query.for('update') : await query;
  return key;
}

/** Which of an org's keys a list holds, by whether they are past their rotation date. */
export interface KeyListFilter {
  /** true: only the live keys past their rotation date; false: all the others; undefined: every key. */
  rotationDue?: boolean | undefined;
  /** The age after which a key without its own due date is due (ROTATION_MAX_AGE_DAYS). */
  maxAgeDays: number;
}

/**
 * A page of the org's keys, newest first; the keys due for rotation at `now` come oldest first
 * (the longest overdue leads).
 */
export async function listOrgKeys(
  db: Db,
  orgId: string,
  { rotationDue, maxAgeDays }: KeyListFilter,
  page: PageRequest,
  now = new Date(),
): Promise<Page<ApiKey>> {
  const due = isPastRotationDateSql(apiKeys, now, maxAgeDays);
  const order = keyset(rotationDue === true ? 'asc' : 'desc', apiKeys.createdAt, apiKeys.id, page);
  const selected = db
    .select({ row: apiKeys, at: order.at })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.orgId, orgId),
        rotationDue === true ? due : rotationDue === false ? not(due) : undefined,
        order.where,
      ),
    )
    .orderBy(...order.orderBy);
  return order.page(await (order.fetch ? selected.limit(order.fetch) : selected));
}

/**
 * Keys that still verify: not revoked, not expired (a rotated-out key counts until its grace ends).
 * Not rules' `isLive`, which a rotated-out key has left: this is what the org's key bound counts.
 */
const stillVerifies = (now: Date) =>
  and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)));

/** How many of the org's keys still verify at `now`. */
export async function countLiveKeys(db: Db | Tx, orgId: string, now = new Date()): Promise<number> {
  const [held] = await db
    .select({ n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), stillVerifies(now)));
  return held!.n;
}

/** Writes a key row whose secret was hashed by the caller. */
export async function insertKeyRow(tx: Tx, values: NewApiKey): Promise<ApiKey> {
  const [key] = await tx.insert(apiKeys).values(values).returning();
  return key!;
}

/** Sets these columns of a key and returns the key as it now is. */
export async function updateKeyRow(tx: Tx, id: string, values: Partial<NewApiKey>): Promise<ApiKey> {
  const [key] = await tx.update(apiKeys).set(values).where(eq(apiKeys.id, id)).returning();
  return key!;
}

/** Records that the key with this hash changed, so verifiers drop what they cached of it. */
export async function recordKeyChange(tx: Tx, hash: string): Promise<void> {
  await tx.insert(keyChanges).values({ hash });
}

/**
 * Key changes of the last `windowMs` by the database's clock. Polled with overlapping windows, so
 * a change whose transaction committed late is still seen.
 */
export async function recentKeyChanges(db: Db, windowMs: number): Promise<{ id: number; hash: string }[]> {
  return db
    .select({ id: keyChanges.id, hash: keyChanges.hash })
    .from(keyChanges)
    .where(gt(keyChanges.at, sql`clock_timestamp() - ${windowMs} * interval '1 millisecond'`));
}
