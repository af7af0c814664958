import type { DeliverJob } from '@keywatch/jobs';
import { describe, expect, it } from 'vitest';
import { type GateFacts, gate, stillDue } from '../../src/gate.ts';

const createdAt = new Date('2026-11-22T10:30:42.123Z');
const alert: DeliverJob = { kind: 'alert', alertId: 'a1', channel: 'slack' };
const resolution: DeliverJob = { kind: 'resolution', alertId: 'a1', channel: 'slack' };
const reminder: DeliverJob = {
  kind: 'rotation_reminder',
  keyId: 'k1',
  channel: 'email',
  reminder: 'rotation',
  at: '2026-11-01T00:00:00.000Z',
  sequence: 0,
  asOf: '2026-11-22T00:00:00.000Z',
};
const open: GateFacts = { silence: null, storm: null, digestSent: false };
const storming = (alertsBefore: number, orgId: string | null = 'org-1'): GateFacts => ({
  ...open,
  storm: { orgId, createdAt, alertsBefore },
});

describe('gate', () => {
  it('sends an alert, a resolution and a live key’s reminder with nothing in the way', () => {
    expect(gate(alert, open, 10)).toEqual({ action: 'send' });
    expect(gate(resolution, open, 10)).toEqual({ action: 'send' });
    expect(gate(reminder, { ...open, reminderKey: { rotatedAt: null, revokedAt: null } }, 10)).toEqual({
      action: 'send',
    });
  });

  it('holds a silenced alert or resolution, saying until when and why', () => {
    const silence = { until: new Date('2026-11-22T12:00:00Z'), reason: 'maintenance' };
    for (const job of [alert, resolution])
      expect(gate(job, { ...storming(99), silence }, 10)).toEqual({
        action: 'skip',
        status: 'silenced',
        reason: 'silenced until 2026-11-22T12:00:00.000Z: maintenance',
      });
  });

  it.each([
    ['deleted', undefined, 'the key no longer exists'],
    [
      'rotated',
      { rotatedAt: createdAt, revokedAt: null },
      `the key was rotated at ${createdAt.toISOString()}`,
    ],
    [
      'revoked',
      { rotatedAt: null, revokedAt: createdAt },
      `the key was revoked at ${createdAt.toISOString()}`,
    ],
  ])('cancels a reminder whose key was %s since it was queued', (_, reminderKey, reason) => {
    expect(gate(reminder, { ...open, reminderKey }, 10)).toEqual({
      action: 'skip',
      status: 'cancelled',
      reason,
    });
  });

  describe('a rotation digest', () => {
    const listed = (keyId: string) => ({
      keyId,
      reminder: 'rotation' as const,
      at: reminder.at,
      sequence: 0,
    });
    const digest = (total: number): Extract<DeliverJob, { kind: 'rotation_digest' }> => ({
      kind: 'rotation_digest',
      group: '0123456789abcdef0123456789abcdef',
      asOf: '2026-11-22T00:00:00.000Z',
      total,
      keys: total,
      escalations: 0,
      listed: [listed('k1'), listed('k2')],
      orgId: 'org-1',
      channel: 'slack',
    });
    const key = (id: string, over: { rotatedAt?: Date; revokedAt?: Date } = {}) => ({
      id,
      name: `name-${id}`,
      prefix: 'sk_live_ab',
      rotatedAt: null,
      revokedAt: null,
      ...over,
    });

    it('lists only the keys still to rotate, in its order', () => {
      const keys = [key('k2'), key('k1', { rotatedAt: createdAt })];
      expect(stillDue(digest(2), keys).map(({ line, key }) => [line.keyId, key.name])).toEqual([
        ['k2', 'name-k2'],
      ]);
      expect(gate(digest(2), { ...open, listedKeys: keys }, 10)).toEqual({ action: 'send' });
    });

    it('is cancelled once every key it stands for was rotated, revoked or deleted', () => {
      const gone = [key('k1', { revokedAt: createdAt })];
      expect(gate(digest(2), { ...open, listedKeys: gone }, 10)).toEqual({
        action: 'skip',
        status: 'cancelled',
        reason: 'every key it lists was rotated or revoked since',
      });
      // Keys past the list's cap may still be due: the message goes, with its count of them.
      expect(gate(digest(30), { ...open, listedKeys: gone }, 10)).toEqual({ action: 'send' });
    });
  });

  it('sends alerts up to the storm bound, then groups the rest into the minute’s digest on the same route', () => {
    expect(gate(alert, storming(9), 10)).toEqual({ action: 'send' });
    expect(gate({ ...alert, to: '#oncall' }, storming(10), 10)).toEqual({
      action: 'group',
      digest: {
        kind: 'digest',
        orgId: 'org-1',
        minute: '2026-11-22T10:30:00.000Z',
        channel: 'slack',
        to: '#oncall',
      },
    });
    expect(gate(alert, storming(50, null), 10)).toMatchObject({ action: 'group', digest: { orgId: null } });
  });

  it('sends late an alert whose minute’s digest already went out, and never groups a resolution', () => {
    expect(gate(alert, { ...storming(10), digestSent: true }, 10)).toEqual({ action: 'send' });
    expect(gate(resolution, storming(10), 10)).toEqual({ action: 'send' });
  });
});
