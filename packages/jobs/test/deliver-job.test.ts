import { describe, expect, it } from 'vitest';
import { type DeliverJob, upgradeDeliverJob } from '../src/index.ts';

describe('upgradeDeliverJob', () => {
  it('reads a rotation reminder queued before reminders had kinds as the first rotation reminder', () => {
    const old = {
      kind: 'rotation_reminder',
      keyId: 'k1',
      channel: 'slack',
      dueAt: '2026-04-01T00:00:00.000Z',
    };
    expect(upgradeDeliverJob(old as unknown as DeliverJob)).toEqual({
      kind: 'rotation_reminder',
      keyId: 'k1',
      channel: 'slack',
      reminder: 'rotation',
      at: '2026-04-01T00:00:00.000Z',
      sequence: 0,
      asOf: '2026-04-01T00:00:00.000Z',
    });
  });

  it('leaves current jobs alone', () => {
    const job: DeliverJob = { kind: 'alert', alertId: 'a1', channel: 'log' };
    expect(upgradeDeliverJob(job)).toBe(job);
  });
});
