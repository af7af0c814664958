import { displayPrefix, generateSecret, hashSecret, type KeyPatch, type NewKeySpec } from '@keywatch/keys';
import { and, count, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db, Tx } from './client.ts';
import { lockOrg, OrgLimitError } from './limits.ts';
import { apiKeys, auditLog, keyChanges, orgs } from './schema.ts';

export type Org = typeof orgs.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;

/** The org with this slug, created on first use. */
export async function ensureOrg(db: Db, slug: string, name = slug): Promise<Org> {
  await db.insert(orgs).values({ slug, name }).onConflictDoNothing({ target: orgs.slug });
  const [org] = await db.select().from(orgs).where(eq(orgs.slug, slug));
  return org!;
}

export interface IssuedKey {
  key: ApiKey;
  /** The secret, shown once and never stored. */
  secret: string;
}

/** A key as the API and CLI show it: everything but the hash. */
export function keyView(key: ApiKey) {
  const { hash: _hash, lastUsedIp: _ip, ...visible } = key;
  return visible;
}
export type KeyView = ReturnType<typeof keyView>;

/** Who acts: the key that authenticated a management call, or null for the CLI. */
export type Actor = string | null;

const audit = (
  tx: Tx,
  action: (typeof auditLog.$inferInsert)['action'],
  actor: Actor,
  key: ApiKey,
  before: ApiKey | null,
  after: Record<string, unknown> | null,
) =>
  tx.insert(auditLog).values({
    orgId: key.orgId,
    actorKeyId: actor,
    action,
    keyId: key.id,
    before: before && keyView(before),
    after,
  });

async function insertKey(
  tx: Tx,
  values: Omit<typeof apiKeys.$inferInsert, 'hash' | 'prefix'>,
): Promise<IssuedKey> {
  const secret = generateSecret();
  const [key] = await tx
    .insert(apiKeys)
    .values({ ...values, hash: hashSecret(secret), prefix: displayPrefix(secret) })
    .returning();
  return { key: key!, secret };
}

/** Keys that still verify: not revoked, not expired (a rotated-out key counts until its grace ends). */
const live = (now: Date) =>
  and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)));

/**
 * Refuses one more working key for an org that holds `maxLiveKeys` already (an OrgLimitError,
 * saying what to do instead); the org's row stays locked until the transaction ends, so two
 * creations at the bound count one after the other.
 */
async function assertRoomForKey(tx: Tx, orgId: string, maxLiveKeys: number, instead: string) {
  await lockOrg(tx, orgId);
  const [held] = await tx
    .select({ n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), live(new Date())));
  if (held!.n >= maxLiveKeys)
    throw new OrgLimitError(`org has ${held!.n} live keys, the most allowed (ORG_MAX_KEYS); ${instead}`);
}

/**
 * Creates a key with a fresh secret (only its hash is written) and its audit record. With
 * `maxLiveKeys`, throws an OrgLimitError when the org already holds that many live keys.
 */
export async function issueKey(
  db: Db,
  orgId: string,
  spec: NewKeySpec,
  actor: Actor = null,
  maxLiveKeys?: number,
): Promise<IssuedKey> {
  return db.transaction(async (tx) => {
    if (maxLiveKeys !== undefined) await assertRoomForKey(tx, orgId, maxLiveKeys, 'revoke unused keys first');
    const issued = await insertKey(tx, {
      orgId,
      name: spec.name,
      type: spec.type,
      ownerEmail: spec.ownerEmail ?? null,
      scopes: spec.scopes,
      ipAllowlist: spec.ipAllowlist ?? null,
      rateLimit: spec.rateLimit ?? null,
      alerts: spec.alerts ?? null,
      expiresAt: spec.expiresAt ?? null,
    });
    await audit(tx, 'key.create', actor, issued.key, null, keyView(issued.key));
    return issued;
  });
}

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

export async function updateKey(db: Db, orgId: string, id: string, patch: KeyPatch, actor: Actor) {
  return db.transaction(async (tx) => {
    const before = await findOrgKey(tx, orgId, id, true);
    if (!before) return undefined;
    const [after] = await tx.update(apiKeys).set(patch).where(eq(apiKeys.id, id)).returning();
    await audit(tx, 'key.update', actor, after!, before, keyView(after!));
    await tx.insert(keyChanges).values({ hash: after!.hash });
    return after!;
  });
}

/** Revokes a key (a second revoke changes nothing and records nothing). */
export async function revokeKey(db: Db, orgId: string, id: string, actor: Actor, now = new Date()) {
  return db.transaction(async (tx) => {
    const before = await findOrgKey(tx, orgId, id, true);
    if (!before || before.revokedAt) return before;
    const [after] = await tx.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.id, id)).returning();
    await audit(tx, 'key.revoke', actor, after!, before, keyView(after!));
    await tx.insert(keyChanges).values({ hash: after!.hash });
    return after!;
  });
}

export type RotateResult =
  | { ok: true; old: ApiKey; issued: IssuedKey }
  | { ok: false; reason: 'not_found' | 'revoked' | 'already_rotated' };

/**
 * Replaces a key by a new one with the same settings, whose age starts at zero. The old key keeps
 * working for the grace period (never longer than it would have anyway) and leaves the rotation
 * reminders. With `maxLiveKeys` and a grace period, throws an OrgLimitError at the org's bound.
 */
export async function rotateKey(
  db: Db,
  orgId: string,
  id: string,
  graceMs: number,
  actor: Actor,
  { now = new Date(), maxLiveKeys }: { now?: Date; maxLiveKeys?: number } = {},
) {
  return db.transaction(async (tx): Promise<RotateResult> => {
    const old = await findOrgKey(tx, orgId, id, true);
    if (!old) return { ok: false, reason: 'not_found' };
    if (old.revokedAt) return { ok: false, reason: 'revoked' };
    if (old.rotatedAt) return { ok: false, reason: 'already_rotated' };
    // With a grace period, both keys work until it ends: one more live key, held to the bound.
    if (maxLiveKeys !== undefined && graceMs > 0)
      await assertRoomForKey(
        tx,
        orgId,
        maxLiveKeys,
        'rotate with gracePeriod 0s, or revoke unused keys first',
      );
    const graceEnds = new Date(now.getTime() + graceMs);
    const [retired] = await tx
      .update(apiKeys)
      .set({
        rotatedAt: now,
        rotationDueAt: null,
        expiresAt: old.expiresAt && old.expiresAt < graceEnds ? old.expiresAt : graceEnds,
      })
      .where(eq(apiKeys.id, id))
      .returning();
    const issued = await insertKey(tx, {
      orgId,
      name: old.name,
      type: old.type,
      ownerEmail: old.ownerEmail,
      scopes: old.scopes,
      ipAllowlist: old.ipAllowlist,
      rateLimit: old.rateLimit,
      alerts: old.alerts,
      expiresAt: old.expiresAt,
      rotatedFromId: old.id,
      createdAt: now,
    });
    await audit(tx, 'key.rotate', actor, retired!, old, { ...keyView(retired!), successorId: issued.key.id });
    await tx.insert(keyChanges).values({ hash: retired!.hash });
    return { ok: true, old: retired!, issued };
  });
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
