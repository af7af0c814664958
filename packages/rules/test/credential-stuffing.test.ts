import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  CREDENTIAL_STUFFING,
  evaluateCredentialStuffing,
  sourceOf,
  stuffingSince,
  UNKNOWN_COUNTRY,
  UNKNOWN_IP,
} from '../src/index.ts';

const MINUTE = 60_000;
const now = new Date('2026-11-22T10:15:30Z');
const minuteAgo = (n: number) => new Date(Date.parse('2026-11-22T10:15:00Z') - n * MINUTE);
const source = (...counts: [minutesAgo: number, count: number][]) => ({
  ip: '203.0.113.9',
  minutes: counts.map(([ago, count]) => ({ start: minuteAgo(ago), count })),
});

describe('credential stuffing', () => {
  it('counts the current minute and the nine before it', () => {
    expect(stuffingSince(now)).toEqual(new Date('2026-11-22T10:06:00Z'));
  });

  it.each([
    ['49 unknown keys in one minute', source([0, 49]), null],
    ['50 unknown keys in one minute', source([0, 50]), 50],
    [
      '50 spread over the ten minute buckets',
      source(...Array.from({ length: 10 }, (_, i) => [i, 5] as [number, number])),
      50,
    ],
    ['49 inside, 1 eleven minutes ago', source([0, 30], [9, 19], [10, 1]), null],
    ['a bucket from the future (clock skew) is not counted', source([0, 49], [-1, 5]), null],
    ['nothing at all', source(), null],
  ])('%s', (_name, input, value) => {
    expect(evaluateCredentialStuffing(input, now)?.value ?? null).toBe(value);
  });

  it('names the signal and the IP, once per IP per hour', () => {
    const decision = evaluateCredentialStuffing(source([0, 60]), now)!;
    expect(decision).toEqual({
      rule: 'unusualActivity',
      subject: 'credentialStuffing:203.0.113.9',
      severity: 'critical',
      window: {
        period: 'hourly',
        start: new Date('2026-11-22T10:00:00Z'),
        end: new Date('2026-11-22T11:00:00Z'),
      },
      value: 60,
      threshold: CREDENTIAL_STUFFING.failures,
      details: {
        signal: 'credentialStuffing',
        ip: '203.0.113.9',
        minutes: 10,
        since: '2026-11-22T10:06:00.000Z',
      },
    });
    const nextHour = evaluateCredentialStuffing(
      { ip: '203.0.113.9', minutes: [{ start: new Date('2026-11-22T11:00:00Z'), count: 60 }] },
      new Date('2026-11-22T11:00:10Z'),
    )!;
    expect(nextHour.window.start).toEqual(new Date('2026-11-22T11:00:00Z'));
  });
});

describe('sourceOf', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    // The groups after `::` reach into the /64 when few are left out.
    ['2001:db8::1:2:3:4:5', '2001:db8:0:1::/64'],
    ['::1:2:3:4:5:6:7', '0:1:2:3::/64'],
    ['1:2:3:4:5:6:7::', '1:2:3:4::/64'],
    // An IPv4 tail is two groups: the `::` stands for fewer zeros.
    ['1::2:3:4:5:1.2.3.4', '1:0:2:3::/64'],
    ['::ffff:1.2.3.4', '0:0:0:0::/64'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4::/64'],
    [null, 'unknown'],
  ])('%s → %s', (ip, source) => {
    expect(sourceOf(ip)).toBe(source);
  });

  it('puts every address of one /64 in one source, and the next /64 in another', () => {
    expect(sourceOf('2001:db8:1:2:aaaa::1')).toBe(sourceOf('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    expect(sourceOf('2001:db8:1:3::1')).not.toBe(sourceOf('2001:db8:1:2::1'));
  });

  it('counts guesses from an unknown address under the label the usage tables store for one', () => {
    expect(sourceOf(null)).toBe(UNKNOWN_IP);
  });
});

describe('what is stored for an unknown client', () => {
  it('is a label no address or country code can take', () => {
    expect(isIP(UNKNOWN_IP)).toBe(0);
    expect(UNKNOWN_IP).toMatch(/\S/);
    expect(UNKNOWN_COUNTRY).not.toMatch(/^[A-Z]{2}$/);
    expect(UNKNOWN_COUNTRY).toMatch(/\S/);
  });
});
