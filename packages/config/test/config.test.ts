import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.ts';

describe('loadConfig', () => {
  it('gives the contract defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/keywatch');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.VERIFIER_PORT).toBe(8080);
    expect(config.ROTATION_CRON).toBe('0 9 * * *');
    expect(config.ROTATION_MAX_AGE_DAYS).toBe(90);
    expect(config.ROTATION_REMIND_EVERY_DAYS).toBe(7);
    expect(config.ROTATION_ESCALATE_AFTER_DAYS).toBe(30);
    expect(config.SLACK_BOT_TOKEN).toBeUndefined();
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ VERIFIER_PORT: '', SLACK_CHANNEL: '' })).toMatchObject({ VERIFIER_PORT: 8080 });
  });

  it('reads trusted proxies as a list', () => {
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, 2001:db8::/32,192.0.2.1' }).TRUSTED_PROXIES).toEqual([
      '10.0.0.0/8',
      '2001:db8::/32',
      '192.0.2.1',
    ]);
  });

  it('reads the networks webhooks may reach as a list, none by default', () => {
    expect(loadConfig({}).WEBHOOK_ALLOWED_NETWORKS).toEqual([]);
    expect(
      loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32, fd00::/8' }).WEBHOOK_ALLOWED_NETWORKS,
    ).toEqual(['127.0.0.1/32', 'fd00::/8']);
  });

  it('splits broker lists', () => {
    expect(loadConfig({ KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093' }).KAFKA_BROKERS).toEqual([
      '127.0.0.1:9092',
      '127.0.0.1:9093',
    ]);
  });

  it.each([
    ['VERIFIER_PORT', 'eighty'],
    ['VERIFIER_PORT', '70000'],
    ['DATABASE_URL', 'mysql://x/y'],
    ['REDIS_URL', 'not a url'],
    ['KAFKA_BROKERS', '127.0.0.1'],
    ['SLACK_API_URL', 'ftp://slack'],
    ['PUBLIC_URL', 'keywatch.example.com'],
    ['SMTP_URL', 'http://mail'],
    ['ALERT_EMAIL_TO', 'nobody'],
    ['ROTATION_MAX_AGE_DAYS', '-3'],
    ['LOG_LEVEL', 'loud'],
    ['REDIS_PREFIX', 'has space'],
    ['ROTATION_CRON', 'every day'],
    ['TRUSTED_PROXIES', '10.0.0.0/8,proxy.internal'],
    ['TRUSTED_PROXIES', '10.0.0.0/33'],
    ['GEOIP_DB', '/nonexistent/GeoLite2-Country.mmdb'],
    ['ROTATION_CRON', '61 * * * *'],
    ['WEBHOOK_ALLOWED_NETWORKS', '127.0.0.1/32,internal.example'],
    ['KAFKA_SESSION_TIMEOUT_MS', '1000'],
    ['ALERT_STORM_PER_MINUTE', '0'],
    ['ROTATION_REMIND_EVERY_DAYS', '0'],
    ['ROTATION_ESCALATE_AFTER_DAYS', 'a month'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ VERIFIER_PORT: 'x', REDIS_URL: 'y' })).toThrow(
      /VERIFIER_PORT.*REDIS_URL|REDIS_URL.*VERIFIER_PORT/,
    );
  });

  it('wants a Slack channel with a Slack token', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(
      /SLACK_CHANNEL: is required when SLACK_BOT_TOKEN is set/,
    );
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_CHANNEL: '#alerts' }).SLACK_CHANNEL).toBe('#alerts');
  });
});
