import { describe, expect, it } from 'vitest';
import {
  keyNotices,
  needsRotationFlag,
  remindersDue,
  rotationDueAt,
  type SentReminder,
} from '../src/index.ts';

const created = new Date('2026-01-01T00:00:00Z');
const DAY = 86_400_000;
const after = (ms: number) => new Date(created.getTime() + ms);
const key = (over: Partial<Parameters<typeof needsRotationFlag>[0]> = {}) => ({
  createdAt: created,
  revokedAt: null,
  expiresAt: null,
  rotationDueAt: null,
  rotatedAt: null,
  ...over,
});

describe('needsRotationFlag (90 days)', () => {
  it.each([
    ['89 days', after(89 * DAY), false],
    ['exactly 90 days', after(90 * DAY), false],
    ['90 days and a second', after(90 * DAY + 1000), true],
    ['91 days', after(91 * DAY), true],
    ['400 days', after(400 * DAY), true],
  ])('a key aged %s: %s', (_age, asOf, expected) => {
    expect(needsRotationFlag(key(), asOf, 90)).toBe(expected);
  });

  it('leaves revoked keys alone', () => {
    expect(needsRotationFlag(key({ revokedAt: after(10 * DAY) }), after(91 * DAY), 90)).toBe(false);
  });

  it('never flags a revoked key, even as of a time before its revocation (it cannot be rotated)', () => {
    expect(needsRotationFlag(key({ revokedAt: after(100 * DAY) }), after(91 * DAY), 90)).toBe(false);
  });

  it('leaves expired keys alone but flags keys expiring later', () => {
    expect(needsRotationFlag(key({ expiresAt: after(50 * DAY) }), after(91 * DAY), 90)).toBe(false);
    expect(needsRotationFlag(key({ expiresAt: after(365 * DAY) }), after(91 * DAY), 90)).toBe(true);
  });

  it('counts a key as expired from the very instant of its expiry', () => {
    const expiring = key({ expiresAt: after(91 * DAY) });
    expect(needsRotationFlag(expiring, after(91 * DAY - 1), 90)).toBe(true);
    expect(needsRotationFlag(expiring, after(91 * DAY), 90)).toBe(false);
  });

  it('leaves rotated keys (in their grace period) alone', () => {
    expect(needsRotationFlag(key({ rotatedAt: after(89 * DAY) }), after(91 * DAY), 90)).toBe(false);
  });

  it('does not flag twice', () => {
    expect(needsRotationFlag(key({ rotationDueAt: after(90 * DAY) }), after(120 * DAY), 90)).toBe(false);
  });

  it('follows the configured age', () => {
    expect(needsRotationFlag(key(), after(31 * DAY), 30)).toBe(true);
    expect(rotationDueAt(created, 30)).toEqual(after(30 * DAY));
  });
});

const policy = { remindEveryDays: 7, escalateAfterDays: 30 };
const flagged90 = key({ rotationDueAt: after(90 * DAY) });

/** Runs scans at the given key ages (days) as the scan does: flag, then remind, each scan seeing
 * what the earlier ones flagged and sent. */
function scansAt(ages: number[], start = key()) {
  const sent: SentReminder[] = [];
  let subject = start;
  return ages.map((age) => {
    const asOf = after(age * DAY);
    if (needsRotationFlag(subject, asOf, 90))
      subject = { ...subject, rotationDueAt: rotationDueAt(subject.createdAt, 90) };
    const due = remindersDue(subject, sent, asOf, policy);
    sent.push(...due.map((r) => ({ ...r, remindedAt: asOf })));
    // The same scan again owes nothing.
    expect(remindersDue(subject, sent, asOf, policy)).toEqual([]);
    return due.map((r) => `${r.kind}#${r.sequence}`);
  });
}

describe('remindersDue', () => {
  it('reminds at once, then 7 days after the last reminder, and escalates once past 30 days overdue', () => {
    expect(scansAt([90, 91, 97, 98, 121])).toEqual([
      [], // exactly 90 days: not due yet
      ['rotation#0'],
      [], // 6 days after the first reminder
      ['rotation#1'],
      ['rotation#2', 'escalation#0'], // 31 days overdue
    ]);
  });

  it('reminds on the 7th day even when that scan fires a little earlier, or the last one ran late', () => {
    const sent: SentReminder[] = [
      // The last reminder went out at 14:00, by a catch-up scan after downtime over 09:00.
      { kind: 'rotation', at: after(90 * DAY), sequence: 0, remindedAt: after(91 * DAY + 14 * 3_600_000) },
    ];
    const daily = (day: number, ms = 0) => after(day * DAY + 9 * 3_600_000 + ms);
    expect(remindersDue(flagged90, sent, daily(97), policy)).toEqual([]);
    expect(remindersDue(flagged90, sent, daily(98, -30), policy)).toEqual([
      { kind: 'rotation', at: after(90 * DAY), sequence: 1 },
    ]);
  });

  it('owes nothing before the due date, and the first reminder from the due date itself', () => {
    expect(remindersDue(flagged90, [], after(90 * DAY - 1), policy)).toEqual([]);
    expect(remindersDue(flagged90, [], after(90 * DAY), policy)).toEqual([
      { kind: 'rotation', at: after(90 * DAY), sequence: 0 },
    ]);
  });

  it('escalates from exactly escalateAfterDays overdue, not a millisecond before', () => {
    const sent: SentReminder[] = [
      { kind: 'rotation', at: after(90 * DAY), sequence: 0, remindedAt: after(119 * DAY) },
    ];
    const kinds = (asOf: Date) => remindersDue(flagged90, sent, asOf, policy).map((r) => r.kind);
    expect(kinds(after(120 * DAY - 1))).toEqual([]);
    expect(kinds(after(120 * DAY))).toEqual(['escalation']);
  });

  it('sends the latest reminder owed after missed scans, not a burst', () => {
    expect(scansAt([91, 150, 151, 157])).toEqual([
      ['rotation#0'],
      ['rotation#1', 'escalation#0'],
      [],
      ['rotation#2'],
    ]);
  });

  it('follows the configured cadence and escalation', () => {
    const sent: SentReminder[] = [];
    const asOf = after(92 * DAY);
    sent.push({ kind: 'rotation', at: after(90 * DAY), sequence: 0, remindedAt: after(91 * DAY) });
    expect(
      remindersDue(flagged90, sent, asOf, {
        remindEveryDays: 1,
        escalateAfterDays: 2,
      }),
    ).toEqual([
      { kind: 'rotation', at: after(90 * DAY), sequence: 1 },
      { kind: 'escalation', at: after(90 * DAY), sequence: 0 },
    ]);
  });

  it.each([
    ['rotated', { rotatedAt: after(95 * DAY) }],
    ['revoked', { revokedAt: after(95 * DAY) }],
    ['expired', { expiresAt: after(95 * DAY) }],
  ])('stops once the key is %s', (_what, over) => {
    const sent: SentReminder[] = [
      { kind: 'rotation', at: after(90 * DAY), sequence: 0, remindedAt: after(91 * DAY) },
    ];
    expect(
      remindersDue(key({ rotationDueAt: after(90 * DAY), ...over }), sent, after(98 * DAY), policy),
    ).toEqual([]);
  });

  it('starts over for a new due date (a key flagged again after its flag was cleared)', () => {
    const sent: SentReminder[] = [
      { kind: 'rotation', at: after(90 * DAY), sequence: 3, remindedAt: after(111 * DAY) },
    ];
    expect(remindersDue(key({ rotationDueAt: after(200 * DAY) }), sent, after(201 * DAY), policy)).toEqual([
      { kind: 'rotation', at: after(200 * DAY), sequence: 0 },
    ]);
  });

  it('reminds of expiry once at 14, 7 and 1 days left', () => {
    const expiring = key({ expiresAt: after(60 * DAY) });
    // ages in days: 30 (30 left), 46 (14 left), 47, 53 (7 left), 58.5 (1.5 left), 59 (1 left), 59.5
    expect(scansAt([30, 46, 47, 53, 58.5, 59, 59.5, 60], expiring)).toEqual([
      [],
      ['expiry#14'],
      [],
      ['expiry#7'],
      [],
      ['expiry#1'],
      [],
      [], // expired: nothing more
    ]);
  });

  it('gives a key first seen 5 days before expiry the 7-day reminder, then the 1-day one', () => {
    expect(scansAt([55, 56, 59.2], key({ expiresAt: after(60 * DAY) }))).toEqual([
      ['expiry#7'],
      [],
      ['expiry#1'],
    ]);
  });

  it('sends expiry and rotation reminders side by side', () => {
    expect(
      remindersDue(
        key({ rotationDueAt: after(90 * DAY), expiresAt: after(95 * DAY) }),
        [],
        after(91 * DAY),
        policy,
      ),
    ).toEqual([
      { kind: 'rotation', at: after(90 * DAY), sequence: 0 },
      { kind: 'expiry', at: after(95 * DAY), sequence: 7 },
    ]);
  });
});

describe('keyNotices', () => {
  it.each([
    ['a young key', key(), after(30 * DAY), { rotationDue: null, expires: null }],
    ['exactly 90 days old', key(), after(90 * DAY), { rotationDue: null, expires: null }],
    ['90 days and a second', key(), after(90 * DAY + 1000), { rotationDue: after(90 * DAY), expires: null }],
    [
      'flagged (the flag wins over the age)',
      key({ rotationDueAt: after(95 * DAY) }),
      after(96 * DAY),
      { rotationDue: after(95 * DAY), expires: null },
    ],
    [
      'rotated, in its grace period',
      key({ rotatedAt: after(91 * DAY) }),
      after(92 * DAY),
      { rotationDue: null, expires: null },
    ],
    [
      'expiring in 14 days',
      key({ expiresAt: after(44 * DAY) }),
      after(30 * DAY),
      { rotationDue: null, expires: after(44 * DAY) },
    ],
    [
      'expiring in 15 days',
      key({ expiresAt: after(45 * DAY) }),
      after(30 * DAY),
      { rotationDue: null, expires: null },
    ],
    [
      'expiring in a millisecond',
      key({ expiresAt: after(30 * DAY) }),
      after(30 * DAY - 1),
      { rotationDue: null, expires: after(30 * DAY) },
    ],
    [
      'expiring this very instant (expired)',
      key({ expiresAt: after(30 * DAY) }),
      after(30 * DAY),
      { rotationDue: null, expires: null },
    ],
    [
      'expired yesterday',
      key({ expiresAt: after(29 * DAY) }),
      after(30 * DAY),
      { rotationDue: null, expires: null },
    ],
  ])('%s', (_name, subject, now, expected) => {
    expect(keyNotices(subject, now, 90)).toEqual(expected);
  });
});
