import { describe, expect, it } from 'vitest';
import { clientIp, isTrusted, networkList, normalizeIp } from '../../src/client-ip.ts';

const trusted = networkList(['127.0.0.1/8', '::1/128', '10.0.0.0/8']);

describe('isTrusted', () => {
  it('answers each address by the list, across more addresses than it remembers', () => {
    // 10.x is trusted, 11.x is not; 30,000 addresses take the memory past its bound twice.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 15_000; i++) {
        const host = `${(i >> 8) & 255}.${i & 255}`;
        expect(isTrusted(`10.0.${host}`, trusted)).toBe(true);
        expect(isTrusted(`11.0.${host}`, trusted)).toBe(false);
      }
    }
    expect(isTrusted(null, trusted)).toBe(false);
  });

  it('keeps lists apart: an address trusted by one is not by another', () => {
    const other = networkList(['192.0.2.0/24']);
    expect(isTrusted('10.1.1.1', trusted)).toBe(true);
    expect(isTrusted('10.1.1.1', other)).toBe(false);
    expect(isTrusted('192.0.2.7', other)).toBe(true);
    expect(isTrusted('192.0.2.7', trusted)).toBe(false);
  });
});

describe('clientIp', () => {
  it.each([
    ['no forwarded header: the peer', '203.0.113.9', undefined, '203.0.113.9'],
    ['untrusted peer: forwarded header ignored', '203.0.113.9', '1.2.3.4', '203.0.113.9'],
    ['trusted peer: the forwarded client', '127.0.0.1', '81.2.69.142', '81.2.69.142'],
    ['IPv4-mapped trusted peer', '::ffff:127.0.0.1', '81.2.69.142', '81.2.69.142'],
    ['IPv6 loopback peer', '::1', '2001:db8::7', '2001:db8::7'],
    [
      'chain through trusted proxies: rightmost untrusted',
      '127.0.0.1',
      '81.2.69.142, 10.1.2.3',
      '81.2.69.142',
    ],
    ['a client cannot forge its way in by prepending', '127.0.0.1', '6.6.6.6, 81.2.69.142', '81.2.69.142'],
    ['garbage in the header stops the walk', '127.0.0.1', 'nonsense, 81.2.69.142', '81.2.69.142'],
    ['garbage only: the trusted peer itself', '127.0.0.1', 'nonsense', '127.0.0.1'],
    ['all hops trusted: the leftmost', '127.0.0.1', '10.0.0.5, 10.0.0.6', '10.0.0.5'],
    ['several header lines', '127.0.0.1', ['8.8.8.8', '81.2.69.142'], '81.2.69.142'],
  ])('%s', (_name, peer, forwarded, expected) => {
    expect(clientIp(peer, forwarded, trusted)).toBe(expected);
  });

  it('is null without a peer address', () => {
    expect(clientIp(undefined, '1.2.3.4', trusted)).toBeNull();
  });
});

describe('normalizeIp', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    [' 1.2.3.4 ', '1.2.3.4'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['999.1.1.1', null],
    ['', null],
    [undefined, null],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeIp(raw)).toBe(expected);
  });
});

describe('networkList', () => {
  it('holds addresses and v4/v6 subnets', () => {
    const list = networkList(['203.0.113.0/24', '2001:db8::/32', '198.51.100.7']);
    expect(list.check('203.0.113.200', 'ipv4')).toBe(true);
    expect(list.check('203.0.114.1', 'ipv4')).toBe(false);
    expect(list.check('2001:db8:ffff::1', 'ipv6')).toBe(true);
    expect(list.check('2001:db9::1', 'ipv6')).toBe(false);
    expect(list.check('198.51.100.7', 'ipv4')).toBe(true);
    expect(list.check('198.51.100.8', 'ipv4')).toBe(false);
  });
});
