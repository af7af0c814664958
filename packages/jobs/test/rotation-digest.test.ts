import type { Reminder } from '@keywatch/rules';
import { describe, expect, it } from 'vitest';
import { deliveryKey, type KeyReminder, ROTATION_DIGEST_LINES, rotationDigest } from '../src/index.ts';

const DAY = 86_400_000;
const asOf = new Date('2026-06-01T09:00:00.000Z');
const orgId = '0d8a4c1e-0000-4000-8000-000000000001';
const slack = { orgId, channel: 'slack' as const };
const keyId = (i: number) => `7f9c2e1a-3b4d-4c5e-8f60-${String(i).padStart(12, '0')}`;
/** Key i, due i days ago. */
const due = (i: number, reminder: Partial<Reminder> = {}): KeyReminder => ({
  keyId: keyId(i),
  reminder: {
    kind: 'rotation',
    at: new Date(asOf.getTime() - i * DAY),
    sequence: 0,
    ...reminder,
  } as Reminder,
});

describe('rotationDigest', () => {
  const many = Array.from({ length: 50 }, (_, i) => due(i + 1));

  it('lists the most overdue first, at most ROTATION_DIGEST_LINES, and counts them all', () => {
    const job = rotationDigest(slack, asOf, many);
    expect(job).toMatchObject({ kind: 'rotation_digest', orgId, channel: 'slack', total: 50, keys: 50 });
    expect(job).not.toHaveProperty('to');
    expect(job.listed).toHaveLength(ROTATION_DIGEST_LINES);
    expect(job.listed.map((l) => l.keyId)).toEqual(
      Array.from({ length: ROTATION_DIGEST_LINES }, (_, i) => keyId(50 - i)),
    );
    expect(job.listed[0]).toEqual({
      keyId: keyId(50),
      reminder: 'rotation',
      at: new Date(asOf.getTime() - 50 * DAY).toISOString(),
      sequence: 0,
    });
  });

  it('puts an escalation before the rotation reminder of the same key, and counts escalations and keys', () => {
    const job = rotationDigest(slack, asOf, [
      due(3, { sequence: 4 }),
      due(40),
      due(3, { kind: 'escalation' }),
      due(2, { kind: 'expiry', at: new Date(asOf.getTime() + 7 * DAY), sequence: 7 }),
    ]);
    expect(job.listed.map((l) => `${l.keyId.slice(-2)} ${l.reminder}#${l.sequence}`)).toEqual([
      '40 rotation#0',
      '03 escalation#0',
      '03 rotation#4',
      '02 expiry#7',
    ]);
    expect(job).toMatchObject({ total: 4, keys: 3, escalations: 1 });
  });

  it('is named by its org, route and every reminder, whatever their order or the scan time', () => {
    const job = rotationDigest(slack, asOf, many);
    const again = rotationDigest(slack, new Date(asOf.getTime() + 3_600_000), [...many].reverse());
    expect(again.group).toBe(job.group);
    expect(deliveryKey(again)).toBe(deliveryKey(job));
    expect(deliveryKey(job)).toBe(`rotation_digest:${job.group}:slack`);
    const others = [
      rotationDigest({ ...slack, orgId: keyId(999) }, asOf, many),
      rotationDigest({ ...slack, to: '#keys' }, asOf, many),
      rotationDigest({ orgId, channel: 'email', to: 'owner@example.com' }, asOf, many),
      // A reminder past the list's cap still names the group.
      rotationDigest(slack, asOf, many.slice(0, -1)),
      rotationDigest(slack, asOf, [...many.slice(0, -1), due(1, { sequence: 1 })]),
    ];
    expect(new Set([job, ...others].map((j) => j.group)).size).toBe(others.length + 1);
  });
});
