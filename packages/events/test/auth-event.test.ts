import { describe, expect, it } from 'vitest';
import {
  decodeAuthEvent,
  encodeAuthEvent,
  encodeStampedAuthEvent,
  messageKeyOf,
  newAuthEvent,
} from '../src/index.ts';

const base = {
  keyId: '7f3c1f8e-3b1a-4c55-9f0e-2d7a9b1c0d11',
  orgId: '0a9e6a52-5a7e-4f2b-8d7b-6c1e2f3a4b5c',
  keyPrefix: 'sk_live_abcd',
  code: 'VALID' as const,
  scope: 'chat',
  method: 'GET',
  path: '/x',
  ip: '203.0.113.9',
  country: 'NL',
  userAgent: 'curl/8',
  latencyMs: 0.4,
};

describe('AuthEvent codec', () => {
  it('round-trips an event', () => {
    const event = newAuthEvent({ ...base, at: new Date('2026-11-22T10:00:00.123Z') });
    expect(event).toMatchObject({ v: 1, ts: '2026-11-22T10:00:00.123Z', outcome: 'success' });
    expect(decodeAuthEvent(encodeAuthEvent(event))).toEqual({ ok: true, event });
  });

  it('stamps an event with its producer and sequence number, every field kept', () => {
    const event = newAuthEvent({ ...base, country: null, userAgent: 'quote " and \\ back\nslash' });
    const decoded = decodeAuthEvent(encodeStampedAuthEvent(event, 'producer-1', 41));
    expect(decoded).toEqual({ ok: true, event: { ...event, producerId: 'producer-1', seq: 41 } });
  });

  it('derives outcome from the code', () => {
    expect(newAuthEvent({ ...base, code: 'EXPIRED' }).outcome).toBe('failure');
  });

  it('keys messages by key id, else by ip', () => {
    expect(messageKeyOf({ keyId: base.keyId, ip: '1.2.3.4' })).toBe(base.keyId);
    expect(messageKeyOf({ keyId: null, ip: '1.2.3.4' })).toBe('ip:1.2.3.4');
  });

  it.each([
    [null, /tombstone/],
    [Buffer.from([0xff, 0x00, 0x13]), /not JSON/],
    [Buffer.from('{"v":2}'), /not an AuthEvent: v:/],
    [Buffer.from('[]'), /not an AuthEvent/],
    [Buffer.from(JSON.stringify({ ...newAuthEvent(base), code: 'NOPE' })), /code/],
    [Buffer.from(JSON.stringify({ ...newAuthEvent(base), ts: 'yesterday' })), /ts/],
    [Buffer.from(JSON.stringify({ ...newAuthEvent(base), latencyMs: -1 })), /latencyMs/],
    // A key id that is not a UUID could never be stored: it goes to the DLQ, not into a stuck batch.
    [Buffer.from(JSON.stringify({ ...newAuthEvent(base), keyId: 'k1' })), /keyId/],
  ])('rejects %s with a reason', (value, reason) => {
    const result = decodeAuthEvent(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
