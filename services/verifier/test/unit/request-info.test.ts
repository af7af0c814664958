import { fakeSecret } from '@keywatch/testkit';
import { describe, expect, it } from 'vitest';
import { safeMethod, safePath, safeUserAgent } from '../../src/request-info.ts';

const secret = fakeSecret('abcdefghijklmnop');

describe('safePath', () => {
  it.each([
    ['/agents/7', '/agents/7'],
    [`/agents?api_key=${secret}`, '/agents'],
    ['/cb#token=abc', '/cb'],
    [`/keys/${secret}/usage`, '/keys/sk_live_[redacted]/usage'],
    ['', null],
    [null, null],
  ])('%s → %s', (raw, expected) => {
    expect(safePath(raw)).toBe(expected);
  });

  it('bounds the length', () => {
    expect(safePath(`/${'a'.repeat(5000)}`)).toHaveLength(2048);
  });
});

describe('safeUserAgent', () => {
  it('masks a secret pasted into a user agent', () => {
    expect(safeUserAgent('bot Bearer sk_live_x1')).toBe('bot Bearer [redacted]');
  });

  it('answers the same however often a client sends it, past the memory’s bound too', () => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 1_500; i++) expect(safeUserAgent(`client/${i}`)).toBe(`client/${i}`);
      expect(safeUserAgent('bot Bearer sk_live_x1')).toBe('bot Bearer [redacted]');
      expect(safeUserAgent(`curl/${'8'.repeat(600)}`)).toHaveLength(512);
    }
  });
});

describe('safeMethod', () => {
  it.each([
    ['GET', 'GET'],
    ['patch', 'PATCH'],
    ['PROPFIND', 'PROPFIND'],
    ['A'.repeat(17), null],
    ['A'.repeat(15000), null],
    ['GET /x', null],
    ['', null],
    [null, null],
  ])('%s → %s', (raw, expected) => {
    expect(safeMethod(raw)).toBe(expected);
  });
});
