import { describe, expect, it } from 'vitest';
import {
  destinationPolicy,
  domainMatches,
  emailProblem,
  slackChannelKey,
  slackChannelProblem,
} from '../src/index.ts';

const PERSON = 'must be a channel, not a person or direct message';
const NOT_ALLOWED = 'is not a channel this installation allows';
const allowed = ['#security', 'C0123ABCD'];

describe('destinationPolicy', () => {
  it('takes the allowed channels and mail domains from the environment, and allows anything without them', () => {
    expect(
      destinationPolicy({
        ALERT_SLACK_CHANNELS_ALLOWED: ['#security'],
        ALERT_EMAIL_DOMAINS_ALLOWED: ['example.com'],
      }),
    ).toEqual({ slackChannels: ['#security'], emailDomains: ['example.com'] });
    const open = destinationPolicy({});
    expect(slackChannelProblem('#anything', open.slackChannels)).toBeUndefined();
    expect(emailProblem('ana@anywhere.io', open.emailDomains)).toBeUndefined();
  });
});

describe('slackChannelKey', () => {
  it.each([
    ['C0123ABCD', 'C0123ABCD'],
    ['G0123ABCD', 'G0123ABCD'],
    ['#Security', '#security'],
    ['  #security\t', '#security'],
    // Written with `#`, or with more around it, an id-like text is a channel name.
    ['#C0123ABCD', '#c0123abcd'],
    ['ops-C0123ABCD', '#ops-c0123abcd'],
    ['C0123ABCD-ops', '#c0123abcd-ops'],
    ['C0123', '#c0123'],
    ['-ops', undefined],
    ['ops#1', undefined],
    ['##ops', undefined],
    ['ops room', undefined],
    ['', undefined],
  ] as const)('%j → %s', (channel, key) => {
    expect(slackChannelKey(channel)).toBe(key);
  });

  it('takes names of up to 80 characters', () => {
    expect(slackChannelKey(`#${'a'.repeat(80)}`)).toBe(`#${'a'.repeat(80)}`);
    expect(slackChannelKey(`#${'a'.repeat(81)}`)).toBeUndefined();
  });
});

describe('slackChannelProblem', () => {
  it.each([
    ['#security', undefined, undefined],
    ['security', undefined, undefined],
    ['C0123ABCD', undefined, undefined],
    ['@alice', undefined, PERSON],
    ['  @alice', undefined, PERSON],
    ['U0123ABCD', undefined, PERSON],
    ['W0123ABCD', undefined, PERSON],
    ['D0123ABCD', undefined, PERSON],
    ['<@U0123ABCD>', undefined, 'must be a channel name like #security or a channel id like C0123ABCD'],
    ['#security', allowed, undefined],
    ['#Security', allowed, undefined],
    ['security', allowed, undefined],
    ['C0123ABCD', allowed, undefined],
    ['#random', allowed, NOT_ALLOWED],
    ['C9999ZZZZ', allowed, NOT_ALLOWED],
    ['#security-leaks', allowed, NOT_ALLOWED],
    ['U0123ABCD', ['U0123ABCD'], PERSON],
  ] as const)('%s with %j: %s', (channel, list, problem) => {
    expect(slackChannelProblem(channel, list)).toBe(problem);
  });
});

describe('domainMatches', () => {
  it.each([
    ['example.com', 'example.com', true],
    ['EXAMPLE.com', 'example.COM', true],
    ['mail.example.com', 'example.com', false],
    ['mail.example.com', '*.example.com', true],
    ['a.b.example.com', '*.example.com', true],
    ['example.com', '*.example.com', false],
    ['evilexample.com', '*.example.com', false],
    ['evilexample.com', 'example.com', false],
    ['example.com.evil.io', 'example.com', false],
    ['example.com.evil.io', '*.example.com', false],
  ] as const)('%s against %s: %s', (domain, pattern, expected) => {
    expect(domainMatches(domain, pattern)).toBe(expected);
  });
});

describe('emailProblem', () => {
  it.each([
    ['anyone@anywhere.io', undefined, false],
    ['sec@example.com', ['example.com'], false],
    ['sec@team.example.com', ['example.com', '*.example.com'], false],
    ['sec@example.com.evil.io', ['example.com'], true],
    ['"a@example.com"@evil.io', ['example.com'], true],
  ] as const)('%s with %j refused: %s', (address, domains, refused) => {
    expect(emailProblem(address, domains) !== undefined).toBe(refused);
  });

  it('says why an address is refused', () => {
    expect(emailProblem('sec@evil.io', ['example.com'])).toBe(
      'is not in a mail domain this installation allows',
    );
  });
});
