import { type AnyColumn, and, gt, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { DAY_MS } from './time.ts';

export interface RotationCandidate {
  createdAt: Date;
  revokedAt: Date | null;
  expiresAt: Date | null;
  rotationDueAt: Date | null;
  /** Set once a successor key replaced this one: its successor's age counts from then. */
  rotatedAt: Date | null;
}

/** How rotation is enforced: the age limit, how often to remind, when to escalate. */
export interface RotationPolicy {
  maxAgeDays: number;
  /** Days between two reminders while a flagged key stays unrotated. */
  remindEveryDays: number;
  /** Days past the due date after which the org's security channel is told, once. */
  escalateAfterDays: number;
}

const utcDay = (at: Date) => Math.floor(at.getTime() / DAY_MS);

/** Days before `expiresAt` at which an owner is reminded, once each. */
export const EXPIRY_REMINDER_DAYS = [14, 7, 1] as const;

/** When a key created at `createdAt` must be rotated. */
export const rotationDueAt = (createdAt: Date, maxAgeDays: number): Date =>
  new Date(createdAt.getTime() + maxAgeDays * DAY_MS);

/**
 * A key's columns, for the SQL form of each rule below: the `api_keys` table, or an alias of it.
 * Each SQL form states its function's rule set-wise; test/parity/sql-parity.test.ts holds both to one
 * table of cases.
 */
export type RotationColumns = Record<keyof RotationCandidate, AnyColumn>;

const timestamp = (at: Date) => sql`${at.toISOString()}::timestamptz`;
// Days of 24 hours, whatever the session's time zone does around daylight saving.
const daysSql = (days: number) => sql`${days} * interval '24 hours'`;

/** `rotationDueAt` in SQL, to the millisecond as JavaScript and the reminder ledger see it. */
export const rotationDueAtSql = (key: RotationColumns, maxAgeDays: number): SQL =>
  sql`date_trunc('milliseconds', ${key.createdAt} + ${daysSql(maxAgeDays)})`;

/**
 * Worth a reminder at `asOf`: not revoked (ever: a revoked key cannot be rotated, whatever
 * `--as-of` says), not expired by then, and not replaced by a successor.
 */
export const isLive = (key: RotationCandidate, asOf: Date): boolean =>
  !key.rotatedAt && !key.revokedAt && !(key.expiresAt && key.expiresAt <= asOf);

export const isLiveSql = (key: RotationColumns, asOf: Date): SQL =>
  and(isNull(key.rotatedAt), isNull(key.revokedAt), or(isNull(key.expiresAt), gt(key.expiresAt, asOf)))!;

/**
 * A key is flagged for rotation once it is older than the limit (strictly: at exactly 90 days it
 * is not yet), while it is still live and not already flagged.
 */
export function needsRotationFlag(key: RotationCandidate, asOf: Date, maxAgeDays: number): boolean {
  return !key.rotationDueAt && isLive(key, asOf) && rotationDueAt(key.createdAt, maxAgeDays) < asOf;
}

export const needsRotationFlagSql = (key: RotationColumns, asOf: Date, maxAgeDays: number): SQL =>
  and(
    isNull(key.rotationDueAt),
    isLiveSql(key, asOf),
    // created_at < asOf - maxAge, so the partial index on created_at serves it
    lt(key.createdAt, sql`${timestamp(asOf)} - ${daysSql(maxAgeDays)}`),
  )!;

/** The date a key is due for rotation: the scan's flag, or (before the day's scan) its age. */
const dueDate = (key: RotationCandidate, maxAgeDays: number): Date =>
  key.rotationDueAt ?? rotationDueAt(key.createdAt, maxAgeDays);

/** A live key past its rotation date (the keys list's `rotationDue=true`, the X-Key-Rotation-Due header). */
export const isPastRotationDate = (key: RotationCandidate, now: Date, maxAgeDays: number): boolean =>
  isLive(key, now) && dueDate(key, maxAgeDays) < now;

export const isPastRotationDateSql = (key: RotationColumns, now: Date, maxAgeDays: number): SQL =>
  and(
    isLiveSql(key, now),
    sql`coalesce(${key.rotationDueAt}, ${key.createdAt} + ${daysSql(maxAgeDays)}) < ${timestamp(now)}`,
  )!;

/** The reminders a key can be owed: rotate it, it is overdue (escalation), it expires soon. */
export const REMINDER_KINDS = ['rotation', 'escalation', 'expiry'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** One notice to a key's owners. `at` is the date it is about: the due date, or the expiry. */
export type Reminder =
  /** The n-th reminder (from 0) that the key is due for rotation. */
  | { kind: 'rotation'; at: Date; sequence: number }
  /** The key is `escalateAfterDays` overdue: the org's security channel is told. */
  | { kind: 'escalation'; at: Date; sequence: 0 }
  /** The key expires within `sequence` days (one of EXPIRY_REMINDER_DAYS). */
  | { kind: 'expiry'; at: Date; sequence: number };

/** A reminder already sent, and the scan time (`--as-of`) it was sent at. */
export type SentReminder = Reminder & { remindedAt: Date };

/**
 * The reminders a scan at `asOf` owes a key, given those already sent: a rotation reminder at
 * once when flagged and then every `remindEveryDays` (UTC days) after the last one; one escalation past
 * `escalateAfterDays` overdue; one expiry reminder at each of 14, 7 and 1 days left. A scan that
 * runs late sends the latest reminder owed, never a burst of the missed ones. Nothing for a key
 * that was rotated, revoked or has expired.
 */
export function remindersDue(
  key: RotationCandidate,
  sent: readonly SentReminder[],
  asOf: Date,
  policy: Pick<RotationPolicy, 'remindEveryDays' | 'escalateAfterDays'>,
): Reminder[] {
  if (!isLive(key, asOf)) return [];
  const about = (kind: Reminder['kind'], at: Date) =>
    sent.filter((s) => s.kind === kind && s.at.getTime() === at.getTime());
  const due: Reminder[] = [];

  const dueAt = key.rotationDueAt;
  if (dueAt && dueAt <= asOf) {
    const last = about('rotation', dueAt).sort((a, b) => b.sequence - a.sequence)[0];
    // Counted in UTC days, not to the millisecond: a daily scan that fires a little earlier than
    // last week's (or last week's ran late, catching up) still reminds on the 7th day.
    if (!last || utcDay(asOf) - utcDay(last.remindedAt) >= policy.remindEveryDays)
      due.push({ kind: 'rotation', at: dueAt, sequence: last ? last.sequence + 1 : 0 });
    const overdueMs = asOf.getTime() - dueAt.getTime();
    if (overdueMs >= policy.escalateAfterDays * DAY_MS && about('escalation', dueAt).length === 0)
      due.push({ kind: 'escalation', at: dueAt, sequence: 0 });
  }

  const expiresAt = key.expiresAt;
  if (expiresAt) {
    const leftMs = expiresAt.getTime() - asOf.getTime();
    // The closest threshold reached: a key first seen 5 days before expiry gets the 7-day one.
    const days = [...EXPIRY_REMINDER_DAYS].reverse().find((d) => leftMs <= d * DAY_MS);
    if (days !== undefined && !about('expiry', expiresAt).some((s) => s.sequence <= days))
      due.push({ kind: 'expiry', at: expiresAt, sequence: days });
  }
  return due;
}

/** What a verification answer tells about a key's rotation and expiry (null: nothing to say). */
export interface KeyNotices {
  /** The key is past this rotation date (X-Key-Rotation-Due). */
  rotationDue: Date | null;
  /** The key expires at this time, within the next 14 days (X-Key-Expires). */
  expires: Date | null;
}

/**
 * Notices for a verified key, by its age rather than by the scan's flag, so that they are right
 * even before the day's scan has run.
 */
export function keyNotices(key: RotationCandidate, now: Date, maxAgeDays: number): KeyNotices {
  const expiring =
    key.expiresAt &&
    key.expiresAt > now &&
    key.expiresAt.getTime() - now.getTime() <= EXPIRY_REMINDER_DAYS[0] * DAY_MS;
  return {
    rotationDue: isPastRotationDate(key, now, maxAgeDays) ? dueDate(key, maxAgeDays) : null,
    expires: expiring ? key.expiresAt : null,
  };
}
