import { describe, expect, it } from 'vitest';
import { failureReasons, topFailure } from '../src/data/failures.ts';

describe('failure reasons', () => {
  it('leaves out VALID and zeros, most frequent first, ties by code', () => {
    expect(
      failureReasons({ VALID: 1000, RATE_LIMITED: 5, INVALID_API_KEY: 30, EXPIRED: 5, REVOKED: 0 }).map(
        (r) => [r.code, r.count],
      ),
    ).toEqual([
      ['INVALID_API_KEY', 30],
      ['EXPIRED', 5],
      ['RATE_LIMITED', 5],
    ]);
  });

  it('labels codes in words, unknown codes as themselves', () => {
    expect(failureReasons({ IP_NOT_ALLOWED: 1, SOMETHING_NEW: 1 }).map((r) => r.label)).toEqual([
      'IP not allowed',
      'SOMETHING_NEW',
    ]);
  });

  it('has a top failure reason only when something failed', () => {
    expect(topFailure({ VALID: 10, INSUFFICIENT_SCOPE: 2, RATE_LIMITED: 1 })?.code).toBe(
      'INSUFFICIENT_SCOPE',
    );
    expect(topFailure({ VALID: 10 })).toBeNull();
    expect(topFailure({})).toBeNull();
  });
});
