import { describe, expect, it } from 'vitest';
import { BadPayloadError, type DeliverJob, parsePayload, ROTATION_DIGEST_LINES } from '../src/index.ts';

const keyId = '7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f';
const alertId = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f';

const line = { keyId, reminder: 'rotation', at: '2026-01-01T00:00:00.000Z', sequence: 0 };
const rotationDigestWith = (over: Record<string, unknown>) => ({
  kind: 'rotation_digest',
  group: '0123456789abcdef0123456789abcdef',
  asOf: '2026-03-25T00:00:00.000Z',
  total: 1,
  keys: 1,
  escalations: 0,
  listed: [line],
  orgId: keyId,
  channel: 'slack',
  ...over,
});

describe('the deliver payload', () => {
  it('reads a rotation reminder queued before reminders had kinds as the first rotation reminder', () => {
    const old = { kind: 'rotation_reminder', keyId, channel: 'slack', dueAt: '2026-04-01T00:00:00.000Z' };
    expect(parsePayload('deliver', old)).toEqual({
      kind: 'rotation_reminder',
      keyId,
      channel: 'slack',
      reminder: 'rotation',
      at: '2026-04-01T00:00:00.000Z',
      sequence: 0,
      asOf: '2026-04-01T00:00:00.000Z',
    });
  });

  it.each<DeliverJob>([
    { kind: 'alert', alertId, channel: 'log' },
    { kind: 'resolution', alertId, channel: 'email', to: 'sec@example.com', orgId: null },
    {
      kind: 'rotation_reminder',
      keyId,
      orgId: keyId,
      channel: 'webhook',
      to: 'https://hooks.example.com/x',
      reminder: 'expiry',
      at: '2026-04-01T00:00:00.000Z',
      sequence: 7,
      asOf: '2026-03-25T00:00:00.000Z',
    },
    { kind: 'digest', orgId: null, minute: '2026-11-29T10:00:00.000Z', channel: 'slack' },
    {
      kind: 'rotation_digest',
      group: '0123456789abcdef0123456789abcdef',
      asOf: '2026-03-25T00:00:00.000Z',
      total: 30,
      keys: 29,
      escalations: 1,
      listed: [{ keyId, reminder: 'escalation', at: '2026-01-01T00:00:00.000Z', sequence: 0 }],
      orgId: keyId,
      channel: 'email',
      to: 'owner@example.com',
    },
  ])('reads a current $kind job as it was queued', (job) => {
    expect(parsePayload('deliver', job)).toEqual(job);
  });

  it.each([
    [{ kind: 'alert', channel: 'slack' }, 'alertId'],
    [{ kind: 'alert', alertId, channel: 'pager' }, 'channel'],
    [{ kind: 'page', alertId, channel: 'slack' }, 'kind'],
    [
      {
        kind: 'rotation_reminder',
        keyId,
        channel: 'slack',
        reminder: 'nag',
        at: 'x',
        sequence: 0,
        asOf: 'y',
      },
      'reminder',
    ],
    [{ kind: 'digest', minute: '2026-11-29T10:00:00.000Z', channel: 'slack' }, 'orgId'],
    [rotationDigestWith({ orgId: null }), 'orgId'],
    [rotationDigestWith({ listed: [] }), 'listed'],
    [rotationDigestWith({ listed: Array.from({ length: ROTATION_DIGEST_LINES + 1 }, () => line) }), 'listed'],
    [rotationDigestWith({ group: 'x' }), 'group'],
    ['alert', 'payload'],
  ])('refuses %j, naming %s', (payload, field) => {
    expect(() => parsePayload('deliver', payload)).toThrow(BadPayloadError);
    expect(() => parsePayload('deliver', payload)).toThrow(new RegExp(`\\b${field}\\b`));
  });
});

describe('the evaluate payload', () => {
  it('is a key or a source IP, nothing else', () => {
    expect(parsePayload('evaluate', { keyId })).toEqual({ keyId });
    expect(parsePayload('evaluate', { sourceIp: '203.0.113.9' })).toEqual({ sourceIp: '203.0.113.9' });
    expect(() => parsePayload('evaluate', { keyId: 'not-a-uuid' })).toThrow(BadPayloadError);
    expect(() => parsePayload('evaluate', {})).toThrow(BadPayloadError);
  });
});
