import { describe, expect, it } from 'vitest';
import { alertSettingsSchema } from '../src/index.ts';

const valid = (input: unknown) => alertSettingsSchema.safeParse(input).success;
const channels = (over: Record<string, unknown>) => ({ channels: over });

describe('alertSettingsSchema: channels', () => {
  it('takes a Slack channel, email addresses, a webhook and the security team’s own destinations', () => {
    const settings = {
      channels: {
        slack: '#alerts',
        email: ['ops@example.com', 'sec@example.com'],
        webhook: 'https://hooks.example.com/keywatch',
        security: { slack: '#security', email: ['ciso@example.com'], webhook: 'http://10.0.0.7/hook' },
      },
    };
    expect(alertSettingsSchema.parse(settings)).toEqual(settings);
  });

  it('trims the Slack channel, and wants 1 to 80 characters of it', () => {
    expect(alertSettingsSchema.parse(channels({ slack: '  #alerts ' })).channels?.slack).toBe('#alerts');
    expect(valid(channels({ slack: '#' }))).toBe(true);
    expect(valid(channels({ slack: '   ' }))).toBe(false);
    expect(valid(channels({ slack: 'a'.repeat(80) }))).toBe(true);
    expect(valid(channels({ slack: 'a'.repeat(81) }))).toBe(false);
  });

  it.each([
    [[], false],
    [['ops@example.com'], true],
    [Array.from({ length: 10 }, (_, i) => `ops${i}@example.com`), true],
    [Array.from({ length: 11 }, (_, i) => `ops${i}@example.com`), false],
    [['not an address'], false],
  ])('email %j: valid %s', (email, expected) => {
    expect(valid(channels({ email }))).toBe(expected);
  });

  it.each([
    ['https://hooks.example.com/k', true],
    ['http://hooks.example.com/k', true],
    ['ftp://hooks.example.com/k', false],
    ['git+https://hooks.example.com/k', false],
    ['httpsx://hooks.example.com/k', false],
    ['hooks.example.com/k', false],
    [`https://example.com/${'a'.repeat(2000 - 'https://example.com/'.length)}`, true],
    [`https://example.com/${'a'.repeat(2001 - 'https://example.com/'.length)}`, false],
  ])('webhook %s: valid %s', (webhook, expected) => {
    expect(valid(channels({ webhook }))).toBe(expected);
  });

  it('refuses unknown destinations, at either level', () => {
    expect(valid(channels({ pager: 'x' }))).toBe(false);
    expect(valid(channels({ security: { pager: 'x' } }))).toBe(false);
    expect(valid(channels({ security: { security: { slack: '#x' } } }))).toBe(false);
  });
});

describe('alertSettingsSchema: rules', () => {
  it.each([
    [true, true],
    [false, true],
    [{ enabled: true }, true],
    [{ enabled: true, learningDays: 0 }, true],
    [{ enabled: true, learningDays: 7 }, true],
    [{ enabled: true, learningDays: 365 }, true],
    [{ enabled: true, learningDays: 366 }, false],
    [{ enabled: true, learningDays: -1 }, false],
    [{ enabled: true, learningDays: 1.5 }, false],
    [{ learningDays: 7 }, false],
    [{ enabled: true, notifyResolved: true }, false],
  ])('unusualActivity %j: valid %s', (unusualActivity, expected) => {
    expect(valid({ unusualActivity })).toBe(expected);
  });

  it.each([
    ['highUsage', true, true],
    ['highUsage', false, true],
    ['highUsage', 'yes', false],
    ['failures', true, true],
    ['failures', false, true],
    ['failures', 'yes', false],
  ])('%s takes notifyResolved %j: %s', (rule, notifyResolved, expected) => {
    expect(valid({ [rule]: { threshold: 10, period: 'hourly', notifyResolved } })).toBe(expected);
  });
});
