import { alertView, type Db } from '@keywatch/db';
import type { DeliverJob } from '@keywatch/jobs';
import {
  alertNotification,
  type ChannelSender,
  type DeliveryEnvelope,
  type Notification,
  PermanentDeliveryError,
  publicDeliveryError,
  reminderNotification,
  resolutionNotification,
  rotationDigestNotification,
  sourceAlertNotification,
} from '@keywatch/notify';
import type { Channel, DeliveryStatus } from '@keywatch/rules';
import {
  claimDelivery,
  type DeliveryFacts,
  finishDelivery,
  loadDeliveryFacts,
} from './deliveries-repository.ts';
import { type DigestJob, gate, stillDue } from './gate.ts';
import { digestNotification } from './storm.ts';

export type Senders = Partial<Record<Channel, ChannelSender>>;

export type DeliveryResult =
  | { outcome: 'sent' | 'already_sent' | 'silenced' | 'cancelled' }
  | { outcome: 'grouped'; digest: DigestJob };

export interface DeliverOptions {
  /** Alerts an org may send one by one per minute; past it they go out as one digest. */
  stormLimit?: number;
  /** PUBLIC_URL, for links in messages. */
  publicUrl?: string;
}

/** A webhook's `event` for each kind of delivery (the contract). */
const EVENTS: Record<DeliverJob['kind'], DeliveryEnvelope['event']> = {
  alert: 'alert.firing',
  resolution: 'alert.resolved',
  rotation_reminder: 'rotation.reminder',
  rotation_digest: 'rotation.reminder',
  digest: 'alert.digest',
};

/** Another worker holds the claim: retry later, when it has sent (or its claim has gone stale). */
export class DeliveryInProgressError extends Error {
  override name = 'DeliveryInProgressError';
}

/** What a delivery that cannot be claimed already became. */
const SETTLED: Partial<Record<DeliveryStatus, DeliveryResult>> = {
  sent: { outcome: 'already_sent' },
  grouped: { outcome: 'already_sent' },
  silenced: { outcome: 'silenced' },
  cancelled: { outcome: 'cancelled' },
};

/**
 * Sends one notification on one channel: claim it → read its facts → the pure `gate` → send →
 * finish its record. A delivery already recorded as sent is never sent again, whichever job or
 * retry asks.
 */
export async function deliver(
  job: DeliverJob,
  db: Db,
  senders: Senders,
  finalAttempt: boolean,
  { stormLimit = Number.POSITIVE_INFINITY, publicUrl }: DeliverOptions = {},
): Promise<DeliveryResult> {
  const claim = await claimDelivery(db, job);
  if (!('claimed' in claim)) {
    const settled = claim.status && SETTLED[claim.status];
    if (settled) return settled;
    throw new DeliveryInProgressError(
      `delivery of ${job.kind} on ${job.channel} is being sent by another worker`,
    );
  }
  const record = claim.claimed;
  const facts = await loadDeliveryFacts(db, job, stormLimit);
  const verdict = gate(job, facts, stormLimit);
  if (verdict.action === 'skip') {
    await finishDelivery(db, record.id, { status: verdict.status, error: verdict.reason });
    return { outcome: verdict.status };
  }
  if (verdict.action === 'group') {
    await finishDelivery(db, record.id, { status: 'grouped' });
    return { outcome: 'grouped', digest: verdict.digest };
  }
  try {
    const sender = senders[job.channel];
    if (!sender) throw new PermanentDeliveryError(`channel ${job.channel} is not configured`);
    const { alert, subject } = facts;
    const envelope: DeliveryEnvelope = {
      id: record.id,
      event: EVENTS[job.kind],
      orgId:
        job.kind === 'digest' || job.kind === 'rotation_digest'
          ? job.orgId
          : (alert?.orgId ?? subject?.key.orgId ?? null),
      ...(alert ? { alert: alertView(alert) } : {}),
    };
    const result = await sender.send(await notificationFor(job, db, publicUrl, facts), job.to, envelope);
    await finishDelivery(db, record.id, { status: 'sent', externalId: result.externalId ?? null });
    return { outcome: 'sent' };
  } catch (err) {
    const failed = finalAttempt || err instanceof PermanentDeliveryError;
    await finishDelivery(db, record.id, {
      status: failed ? 'failed' : 'pending',
      error: publicDeliveryError(job.channel, err),
    });
    throw err;
  }
}

async function notificationFor(
  job: DeliverJob,
  db: Db,
  baseUrl: string | undefined,
  delivery: DeliveryFacts,
): Promise<Notification> {
  const { alert, subject } = delivery;
  if (job.kind === 'digest') return digestNotification(db, job);
  if (job.kind === 'rotation_digest') return rotationDigestFor(job, delivery, baseUrl);
  if (alert && alert.keyId === null) return sourceAlertNotification(alert);
  if (!subject) throw new PermanentDeliveryError('the key of this notification no longer exists');
  const { key, orgSlug } = subject;
  const facts = { id: key.id, name: key.name, prefix: key.prefix, orgSlug, baseUrl };
  if (job.kind === 'rotation_reminder')
    return reminderNotification(
      { ...facts, createdAt: key.createdAt },
      { reminder: job.reminder, at: new Date(job.at), sequence: job.sequence, asOf: new Date(job.asOf) },
    );
  if (!alert) throw new PermanentDeliveryError('the alert of this notification no longer exists');
  return job.kind === 'resolution' ? resolutionNotification(alert, facts) : alertNotification(alert, facts);
}

/** A rotation digest's message, its lines named from the keys as they are now (see stillDue). */
function rotationDigestFor(
  job: Extract<DeliverJob, { kind: 'rotation_digest' }>,
  { listedKeys, orgSlug }: DeliveryFacts,
  baseUrl: string | undefined,
): Notification {
  if (orgSlug === undefined)
    throw new PermanentDeliveryError('the org of this notification no longer exists');
  return rotationDigestNotification({
    orgSlug,
    baseUrl,
    asOf: new Date(job.asOf),
    keys: job.keys,
    escalations: job.escalations,
    lines: stillDue(job, listedKeys).map(({ line, key }) => ({
      name: key.name,
      prefix: key.prefix,
      reminder: line.reminder,
      at: new Date(line.at),
      sequence: line.sequence,
    })),
    more: job.total - job.listed.length,
  });
}
