import {
  type ApiKey,
  activeSilence,
  alerts,
  alertView,
  apiKeys,
  type Db,
  deliveries,
  orgs,
} from '@keywatch/db';
import { type Channel, type DeliverJob, deliveryKey } from '@keywatch/jobs';
import {
  alertNotification,
  type ChannelSender,
  type DeliveryEnvelope,
  type Notification,
  PermanentDeliveryError,
  publicDeliveryError,
  reminderNotification,
  resolutionNotification,
  sourceAlertNotification,
} from '@keywatch/notify';
import { and, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { type DigestJob, digestFor, digestNotification } from './storm.ts';

type Alert = typeof alerts.$inferSelect;

export type Senders = Partial<Record<Channel, ChannelSender>>;

export type DeliveryResult = 'sent' | 'already_sent' | 'silenced' | 'cancelled' | { grouped: DigestJob };

export interface DeliverOptions {
  /** Alerts an org may send one by one per minute; past it they go out as one digest. */
  stormLimit?: number;
  /** PUBLIC_URL, for links in messages. */
  publicUrl?: string;
}

const CLAIM_MS = 20_000; // well beyond one send's 10 s timeout

/** A webhook's `event` for each kind of delivery (the contract). */
const EVENTS: Record<DeliverJob['kind'], DeliveryEnvelope['event']> = {
  alert: 'alert.firing',
  resolution: 'alert.resolved',
  rotation_reminder: 'rotation.reminder',
  digest: 'alert.digest',
};

/** Another worker holds the claim: retry later, when it has sent (or its claim has gone stale). */
export class DeliveryInProgressError extends Error {
  override name = 'DeliveryInProgressError';
}

/**
 * Sends one notification on one channel and records every attempt. A delivery already recorded
 * as sent is never sent again, whichever job or retry asks.
 */
export async function deliver(
  job: DeliverJob,
  db: Db,
  senders: Senders,
  finalAttempt: boolean,
  { stormLimit = Number.POSITIVE_INFINITY, publicUrl }: DeliverOptions = {},
): Promise<DeliveryResult> {
  const dedupeKey = deliveryKey(job);
  await db
    .insert(deliveries)
    .values({
      dedupeKey,
      kind: job.kind,
      channel: job.channel,
      alertId: job.kind === 'alert' || job.kind === 'resolution' ? job.alertId : null,
      keyId: job.kind === 'rotation_reminder' ? job.keyId : null,
      recipient: job.to ?? null,
    })
    .onConflictDoNothing();
  // Claim the delivery: one sender at a time. A claim older than CLAIM_MS was left by a worker
  // that died mid-send, and may be taken over.
  const [record] = await db
    .update(deliveries)
    .set({ status: 'sending', claimedAt: new Date() })
    .where(
      and(
        eq(deliveries.dedupeKey, dedupeKey),
        or(
          inArray(deliveries.status, ['pending', 'failed']),
          and(eq(deliveries.status, 'sending'), lt(deliveries.claimedAt, new Date(Date.now() - CLAIM_MS))),
        ),
      ),
    )
    .returning();
  if (!record) {
    const [current] = await db
      .select({ status: deliveries.status })
      .from(deliveries)
      .where(eq(deliveries.dedupeKey, dedupeKey));
    if (current?.status === 'sent') return 'already_sent';
    if (current?.status === 'silenced') return 'silenced';
    if (current?.status === 'cancelled') return 'cancelled';
    if (current?.status === 'grouped') return 'already_sent';
    throw new DeliveryInProgressError(`delivery ${dedupeKey} is being sent by another worker`);
  }

  // The alert behind an alert or resolution delivery, and the key it is about, read once for all
  // that follows.
  const [alert] =
    job.kind === 'alert' || job.kind === 'resolution'
      ? await db.select().from(alerts).where(eq(alerts.id, job.alertId))
      : [];
  const keyId = job.kind === 'rotation_reminder' ? job.keyId : alert?.keyId;
  const [subject] = keyId
    ? await db
        .select({ key: apiKeys, orgSlug: orgs.slug })
        .from(apiKeys)
        .innerJoin(orgs, eq(orgs.id, apiKeys.orgId))
        .where(eq(apiKeys.id, keyId))
    : [];
  // Silences and the storm bound are an org's; an alert about no key (credential stuffing) has none.
  const ofOrg =
    alert?.orgId && alert.keyId ? { ...alert, orgId: alert.orgId, keyId: alert.keyId } : undefined;
  const silence = ofOrg ? await activeSilence(db, ofOrg, new Date()) : undefined;
  if (silence) {
    await db
      .update(deliveries)
      .set({ status: 'silenced', error: `silenced until ${silence.until.toISOString()}: ${silence.reason}` })
      .where(eq(deliveries.id, record!.id));
    return 'silenced';
  }
  const moot = job.kind === 'rotation_reminder' ? reminderMoot(subject?.key) : null;
  if (moot) {
    await db
      .update(deliveries)
      .set({ status: 'cancelled', error: moot })
      .where(eq(deliveries.id, record!.id));
    return 'cancelled';
  }
  // Keyless alerts (credential stuffing) share one storm bound: the installation's.
  const storming = ofOrg ?? (alert && !alert.orgId && !alert.keyId ? alert : undefined);
  const digest = job.kind === 'alert' && storming ? await digestFor(db, job, storming, stormLimit) : null;
  if (digest) {
    await db.update(deliveries).set({ status: 'grouped' }).where(eq(deliveries.id, record!.id));
    return { grouped: digest };
  }

  try {
    const sender = senders[job.channel];
    if (!sender) throw new PermanentDeliveryError(`channel ${job.channel} is not configured`);
    const envelope: DeliveryEnvelope = {
      id: record!.id,
      event: EVENTS[job.kind],
      orgId: job.kind === 'digest' ? job.orgId : (alert?.orgId ?? subject?.key.orgId ?? null),
      ...(alert ? { alert: alertView(alert) } : {}),
    };
    const notification = await notificationFor(job, db, publicUrl, alert, subject);
    const result = await sender.send(notification, job.to, envelope);
    await db
      .update(deliveries)
      .set({
        status: 'sent',
        attempts: sql`${deliveries.attempts} + 1`,
        sentAt: new Date(),
        externalId: result.externalId ?? null,
        error: null,
      })
      .where(eq(deliveries.id, record!.id));
    return 'sent';
  } catch (err) {
    const failed = finalAttempt || err instanceof PermanentDeliveryError;
    await db
      .update(deliveries)
      .set({
        status: failed ? 'failed' : 'pending',
        attempts: sql`${deliveries.attempts} + 1`,
        error: publicDeliveryError(job.channel, err),
      })
      .where(eq(deliveries.id, record!.id));
    throw err;
  }
}

/** Why a reminder queued earlier no longer applies (its key was rotated or revoked since), if so. */
function reminderMoot(key: Pick<ApiKey, 'rotatedAt' | 'revokedAt'> | undefined): string | null {
  if (!key) return 'the key no longer exists';
  if (key.rotatedAt) return `the key was rotated at ${key.rotatedAt.toISOString()}`;
  if (key.revokedAt) return `the key was revoked at ${key.revokedAt.toISOString()}`;
  return null;
}

async function notificationFor(
  job: DeliverJob,
  db: Db,
  baseUrl: string | undefined,
  alert: Alert | undefined,
  row: { key: ApiKey; orgSlug: string } | undefined,
): Promise<Notification> {
  if (job.kind === 'digest') return digestNotification(db, job);
  if (alert && alert.keyId === null) return sourceAlertNotification(alert);
  if (!row) throw new PermanentDeliveryError('the key of this notification no longer exists');
  const facts = { id: row.key.id, name: row.key.name, prefix: row.key.prefix, orgSlug: row.orgSlug, baseUrl };
  if (job.kind === 'rotation_reminder')
    return reminderNotification(
      { ...facts, createdAt: row.key.createdAt },
      { reminder: job.reminder, at: new Date(job.at), sequence: job.sequence, asOf: new Date(job.asOf) },
    );
  return job.kind === 'resolution' ? resolutionNotification(alert!, facts) : alertNotification(alert!, facts);
}
