import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/index.ts';

describe('ALERT_SLACK_CHANNELS_ALLOWED and ALERT_EMAIL_DOMAINS_ALLOWED', () => {
  it('allow any destination by default', () => {
    const config = loadConfig({});
    expect(config.ALERT_SLACK_CHANNELS_ALLOWED).toBeUndefined();
    expect(config.ALERT_EMAIL_DOMAINS_ALLOWED).toBeUndefined();
  });

  it('read comma-separated lists', () => {
    const config = loadConfig({
      ALERT_SLACK_CHANNELS_ALLOWED: '#security, C0123ABCD',
      ALERT_EMAIL_DOMAINS_ALLOWED: 'example.com,*.corp.example',
    });
    expect(config.ALERT_SLACK_CHANNELS_ALLOWED).toEqual(['#security', 'C0123ABCD']);
    expect(config.ALERT_EMAIL_DOMAINS_ALLOWED).toEqual(['example.com', '*.corp.example']);
  });

  it.each([
    ['ALERT_SLACK_CHANNELS_ALLOWED', '@alice'],
    ['ALERT_SLACK_CHANNELS_ALLOWED', 'U0123ABCD'],
    ['ALERT_SLACK_CHANNELS_ALLOWED', 'security'],
    ['ALERT_SLACK_CHANNELS_ALLOWED', ','],
    ['ALERT_EMAIL_DOMAINS_ALLOWED', 'user@example.com'],
    ['ALERT_EMAIL_DOMAINS_ALLOWED', '*example.com'],
    ['ALERT_EMAIL_DOMAINS_ALLOWED', 'example..com'],
  ])('%s=%s stops start-up naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^invalid environment: ${name}: `));
  });
});
