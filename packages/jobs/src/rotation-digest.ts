import { createHash } from 'node:crypto';
import type { Channel, Reminder, ReminderKind } from '@keywatch/rules';
import { type DeliverJob, ROTATION_DIGEST_LINES } from './catalog.ts';

export type RotationDigestJob = Extract<DeliverJob, { kind: 'rotation_digest' }>;

/** One reminder a scan owes one key. */
export interface KeyReminder {
  keyId: string;
  reminder: Reminder;
}

/** Where a rotation digest goes: one route of one org (never two orgs in one message). */
export interface DigestDestination {
  orgId: string;
  channel: Channel;
  to?: string | undefined;
}

// An escalation is read before the rotation reminder of the same key and due date.
const KIND_ORDER: Record<ReminderKind, number> = { escalation: 0, rotation: 1, expiry: 2 };

/**
 * Most overdue first: the earliest date a reminder is about (a due date long past, then an expiry
 * still ahead), then escalations first, then by key and sequence, so that any input order gives
 * one order.
 */
export const mostOverdueFirst = (a: KeyReminder, b: KeyReminder): number =>
  a.reminder.at.getTime() - b.reminder.at.getTime() ||
  KIND_ORDER[a.reminder.kind] - KIND_ORDER[b.reminder.kind] ||
  (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0) ||
  a.reminder.sequence - b.reminder.sequence;

const listedOf = ({ keyId, reminder }: KeyReminder) => ({
  keyId,
  reminder: reminder.kind,
  at: reminder.at.toISOString(),
  sequence: reminder.sequence,
});

/**
 * Names a group by its content: its org, its route and every reminder in it (not only the listed
 * ones, and not the scan time). A scan that crashed after queuing and runs again owes the same
 * reminders (the ledger recorded none of them), so it queues the same id and BullMQ keeps one job.
 */
function groupId(destination: DigestDestination, sorted: readonly KeyReminder[]): string {
  const { orgId, channel, to } = destination;
  // One string hashed at once: a hundred thousand small updates cost several times more.
  const lines = sorted.map(
    ({ keyId, reminder }) => `${keyId} ${reminder.kind} ${reminder.at.getTime()} ${reminder.sequence}`,
  );
  return createHash('sha256')
    .update(JSON.stringify([orgId, channel, to ?? null]))
    .update(lines.join('\n'))
    .digest('hex')
    .slice(0, 32);
}

/**
 * The one message of a scan's reminders on one destination: the most overdue first, capped at
 * ROTATION_DIGEST_LINES (the payload stays small however many are due), with the counts of all.
 */
export function rotationDigest(
  destination: DigestDestination,
  asOf: Date,
  reminders: readonly KeyReminder[],
): RotationDigestJob {
  const sorted = [...reminders].sort(mostOverdueFirst);
  return {
    kind: 'rotation_digest',
    group: groupId(destination, sorted),
    asOf: asOf.toISOString(),
    total: sorted.length,
    keys: new Set(sorted.map((r) => r.keyId)).size,
    escalations: sorted.filter((r) => r.reminder.kind === 'escalation').length,
    listed: sorted.slice(0, ROTATION_DIGEST_LINES).map(listedOf),
    orgId: destination.orgId,
    channel: destination.channel,
    ...(destination.to ? { to: destination.to } : {}),
  };
}
