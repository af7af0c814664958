import type { ApiKey } from '@keywatch/db';
import type { DeliverJob } from '@keywatch/jobs';
import { bucketStart } from '@keywatch/rules';

export type DigestJob = Extract<DeliverJob, { kind: 'digest' }>;

/** A key a rotation digest lists, as it is now. */
export type ListedKey = Pick<ApiKey, 'id' | 'name' | 'prefix' | 'rotatedAt' | 'revokedAt'>;

/** What the gate looks at for one claimed delivery, read with the alert (see loadDeliveryFacts). */
export interface GateFacts {
  /** The silence in force for the delivery's alert, if any. */
  silence: { until: Date; reason: string } | null;
  /** The key a rotation reminder is about (undefined once deleted). */
  reminderKey?: Pick<ApiKey, 'rotatedAt' | 'revokedAt'> | undefined;
  /** The keys a rotation digest lists that still exist. */
  listedKeys?: readonly ListedKey[];
  /** For an alert that shares a storm bound: its minute and how many alerts of the bound came before it then. */
  storm: { orgId: string | null; createdAt: Date; alertsBefore: number } | null;
  /** Whether the digest of that minute on this route already went out (read only past the bound). */
  digestSent: boolean;
}

export type Gate =
  | { action: 'send' }
  | { action: 'skip'; status: 'silenced' | 'cancelled'; reason: string }
  | { action: 'group'; digest: DigestJob };

/**
 * Whether a delivery goes out, decided from facts alone: a silenced alert is held, a reminder whose
 * key was rotated or revoked since it was queued is moot, and past its org's storm bound an alert
 * joins its minute's digest (unless that digest already went out: late, but never lost).
 */
export function gate(job: DeliverJob, facts: GateFacts, stormLimit: number): Gate {
  if (facts.silence)
    return {
      action: 'skip',
      status: 'silenced',
      reason: `silenced until ${facts.silence.until.toISOString()}: ${facts.silence.reason}`,
    };
  if (job.kind === 'rotation_reminder') {
    const moot = reminderMoot(facts.reminderKey);
    return moot ? { action: 'skip', status: 'cancelled', reason: moot } : { action: 'send' };
  }
  if (job.kind === 'rotation_digest') {
    const unlisted = job.total - job.listed.length;
    return unlisted === 0 && stillDue(job, facts.listedKeys).length === 0
      ? { action: 'skip', status: 'cancelled', reason: 'every key it lists was rotated or revoked since' }
      : { action: 'send' };
  }
  if (job.kind !== 'alert' || !facts.storm || facts.storm.alertsBefore < stormLimit || facts.digestSent)
    return { action: 'send' };
  return { action: 'group', digest: stormDigest(job, facts.storm) };
}

/** The digest an alert past its storm bound joins: one per (org or keyless, minute, route). */
export const stormDigest = (
  job: Extract<DeliverJob, { alertId: string }>,
  storm: { orgId: string | null; createdAt: Date },
): DigestJob => ({
  kind: 'digest',
  orgId: storm.orgId,
  minute: bucketStart('minute', storm.createdAt).toISOString(),
  channel: job.channel,
  ...(job.to ? { to: job.to } : {}),
});

/**
 * The lines of a rotation digest whose keys are still to rotate, in its order, each with its key:
 * a key rotated or revoked since the scan is left out.
 */
export function stillDue(
  job: Extract<DeliverJob, { kind: 'rotation_digest' }>,
  keys: readonly ListedKey[] = [],
) {
  const byId = new Map(keys.map((k) => [k.id, k]));
  return job.listed.flatMap((line) => {
    const key = byId.get(line.keyId);
    return key && !reminderMoot(key) ? [{ line, key }] : [];
  });
}

/** Why a reminder queued earlier no longer applies (its key was rotated or revoked since), if so. */
function reminderMoot(key: Pick<ApiKey, 'rotatedAt' | 'revokedAt'> | undefined): string | null {
  if (!key) return 'the key no longer exists';
  if (key.rotatedAt) return `the key was rotated at ${key.rotatedAt.toISOString()}`;
  if (key.revokedAt) return `the key was revoked at ${key.revokedAt.toISOString()}`;
  return null;
}
