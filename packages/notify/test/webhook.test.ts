import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, retryAfterMs, verifyWebhook, webhookSignature } from '../src/index.ts';

const secret = 'a-test-signing-secret-of-32-chars!';
const body = '{"type":"keywatch.notification","title":"High usage: billing"}';
const now = Date.UTC(2026, 10, 22, 10, 0, 0);
const ts = String(now / 1000);

describe('webhook signatures', () => {
  it('is sha256= and the hex HMAC of "<timestamp>.<body>"', () => {
    expect(webhookSignature(secret, ts, body)).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(webhookSignature(secret, ts, body)).not.toBe(
      webhookSignature(secret, String(now / 1000 + 1), body),
    );
  });

  it.each([
    ['the signature we made', webhookSignature(secret, ts, body), ts, body, now, true],
    ['a changed body', webhookSignature(secret, ts, body), ts, `${body} `, now, false],
    ['another secret', webhookSignature('another-secret-another-secret-xx', ts, body), ts, body, now, false],
    ['a replay 10 minutes later', webhookSignature(secret, ts, body), ts, body, now + 600_000, false],
    ['within 5 minutes', webhookSignature(secret, ts, body), ts, body, now + 299_000, true],
    ['no signature', undefined, ts, body, now, false],
    ['no timestamp', webhookSignature(secret, ts, body), undefined, body, now, false],
    ['a timestamp that is not a number', webhookSignature(secret, 'x', body), 'x', body, now, false],
    ['a truncated signature', webhookSignature(secret, ts, body).slice(0, 20), ts, body, now, false],
    [
      'ours among several (a rotation)',
      `${webhookSignature('the-new-secret-the-new-secret-xx', ts, body)},${webhookSignature(secret, ts, body)}`,
      ts,
      body,
      now,
      true,
    ],
    [
      'several, none ours',
      `${webhookSignature('the-new-secret-the-new-secret-xx', ts, body)}, sha256=00`,
      ts,
      body,
      now,
      false,
    ],
  ])('verifies: %s → %s', (_name, signature, timestamp, received, at, valid) => {
    expect(verifyWebhook(secret, { signature, timestamp }, received, at)).toBe(valid);
  });
});

describe('retryAfterMs', () => {
  it.each([
    [0, 1000],
    [2, 2000],
    [599, 599_000],
    [3600, MAX_RETRY_AFTER_MS],
    [31_536_000, MAX_RETRY_AFTER_MS],
  ])('Retry-After %s s waits %s ms', (seconds, ms) => {
    expect(retryAfterMs(seconds)).toBe(ms);
  });
});
