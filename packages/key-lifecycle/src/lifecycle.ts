import {
  type Actor,
  type ApiKey,
  type AuditAction,
  countLiveKeys,
  type Db,
  findOrgKey,
  insertAuditRecord,
  insertKeyRow,
  keyView,
  lockOrg,
  type NewApiKey,
  OrgLimitError,
  recordKeyChange,
  type Tx,
  updateKeyRow,
} from '@keywatch/db';
import { displayPrefix, generateSecret, hashSecret, type KeyPatch, type NewKeySpec } from '@keywatch/keys';

export interface IssuedKey {
  key: ApiKey;
  /** The secret, shown once and never stored. */
  secret: string;
}

const audit = (
  tx: Tx,
  action: AuditAction,
  actor: Actor,
  key: ApiKey,
  before: ApiKey | null,
  after: Record<string, unknown> | null,
) =>
  insertAuditRecord(tx, {
    orgId: key.orgId,
    actorKeyId: actor,
    action,
    keyId: key.id,
    before: before && keyView(before),
    after,
  });

/** Writes a key with a fresh secret: only its hash and display prefix are stored. */
async function insertKey(tx: Tx, values: Omit<NewApiKey, 'hash' | 'prefix'>): Promise<IssuedKey> {
  const secret = generateSecret();
  const key = await insertKeyRow(tx, { ...values, hash: hashSecret(secret), prefix: displayPrefix(secret) });
  return { key, secret };
}

/**
 * Refuses one more working key for an org that holds `maxLiveKeys` already (an OrgLimitError,
 * saying what to do instead); the org's row stays locked until the transaction ends, so two
 * creations at the bound count one after the other.
 */
async function assertRoomForKey(tx: Tx, orgId: string, maxLiveKeys: number, instead: string) {
  await lockOrg(tx, orgId);
  const held = await countLiveKeys(tx, orgId, new Date());
  if (held >= maxLiveKeys)
    throw new OrgLimitError(`org has ${held} live keys, the most allowed (ORG_MAX_KEYS); ${instead}`);
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

export async function updateKey(db: Db, orgId: string, id: string, patch: KeyPatch, actor: Actor) {
  return db.transaction(async (tx) => {
    const before = await findOrgKey(tx, orgId, id, true);
    if (!before) return undefined;
    const after = await updateKeyRow(tx, id, patch);
    await audit(tx, 'key.update', actor, after, before, keyView(after));
    await recordKeyChange(tx, after.hash);
    return after;
  });
}

/** Revokes a key (a second revoke changes nothing and records nothing). */
export async function revokeKey(db: Db, orgId: string, id: string, actor: Actor, now = new Date()) {
  return db.transaction(async (tx) => {
    const before = await findOrgKey(tx, orgId, id, true);
    if (!before || before.revokedAt) return before;
    const after = await updateKeyRow(tx, id, { revokedAt: now });
    await audit(tx, 'key.revoke', actor, after, before, keyView(after));
    await recordKeyChange(tx, after.hash);
    return after;
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
    const retired = await updateKeyRow(tx, id, {
      rotatedAt: now,
      rotationDueAt: null,
      expiresAt: old.expiresAt && old.expiresAt < graceEnds ? old.expiresAt : graceEnds,
    });
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
    await audit(tx, 'key.rotate', actor, retired, old, { ...keyView(retired), successorId: issued.key.id });
    await recordKeyChange(tx, retired.hash);
    return { ok: true, old: retired, issued };
  });
}
