import type { AlertSettings, Channel } from '@keywatch/rules';
import { describe, expect, it } from 'vitest';
import { type Route, routeAlert, routeEscalation } from '../src/index.ts';

const team = { type: 'organization', ownerEmail: null };
const personal = { type: 'personal', ownerEmail: 'Dev@Example.com' };
const both: Channel[] = ['slack', 'email'];

describe('routeAlert', () => {
  it.each([
    ['no channels named: the defaults', {}, team, both, ['slack'], [{ channel: 'slack' }]],
    ['log only installation', {}, team, [], ['log'], [{ channel: 'log' }]],
    [
      'a Slack channel named',
      { channels: { slack: '#payments' } },
      team,
      both,
      ['slack'],
      [{ channel: 'slack', to: '#payments' }],
    ],
    [
      'email addresses named',
      { channels: { email: ['a@example.com', 'b@example.com'] } },
      team,
      both,
      ['slack'],
      [
        { channel: 'email', to: 'a@example.com' },
        { channel: 'email', to: 'b@example.com' },
      ],
    ],
    [
      'Slack named but not set up here: back to the defaults',
      { channels: { slack: '#payments' } },
      team,
      ['email'],
      ['email'],
      [{ channel: 'email' }],
    ],
    [
      'a personal key: its owner gets the email too',
      {},
      personal,
      both,
      ['slack'],
      [{ channel: 'slack' }, { channel: 'email', to: 'Dev@Example.com' }],
    ],
    [
      'a personal key whose owner is already a recipient: once',
      { channels: { email: ['dev@example.com'] } },
      personal,
      both,
      ['slack'],
      [{ channel: 'email', to: 'dev@example.com' }],
    ],
    [
      'a webhook named, where webhooks are signed',
      { channels: { webhook: 'https://hooks.example.com/k' } },
      team,
      ['slack', 'webhook'],
      ['slack'],
      [{ channel: 'webhook', to: 'https://hooks.example.com/k' }],
    ],
    [
      'a webhook named, but no signing secret here',
      { channels: { webhook: 'https://hooks.example.com/k' } },
      team,
      ['slack'],
      ['slack'],
      [{ channel: 'slack' }],
    ],
    ['a personal key without email set up here', {}, personal, ['slack'], ['slack'], [{ channel: 'slack' }]],
  ] as const)('%s', (_name, settings, key, available, defaults, expected) => {
    expect(
      routeAlert({
        settings: settings as AlertSettings,
        key,
        available: [...available],
        defaults: [...defaults],
        policy: {},
      }),
    ).toEqual(expected);
  });
});

describe('routing under the operator policy', () => {
  const policy = {
    slackChannels: ['#security', 'C0123ABCD'],
    emailDomains: ['example.com', '*.corp.example'],
  };
  const route = (settings: AlertSettings, key: typeof team | typeof personal = team) =>
    routeAlert({ settings, key, available: both, defaults: ['slack'], policy });

  it.each<[string, AlertSettings['channels'], Route[]]>([
    ['an allowed channel name', { slack: '#Security' }, [{ channel: 'slack', to: '#Security' }]],
    ['an allowed channel id', { slack: 'C0123ABCD' }, [{ channel: 'slack', to: 'C0123ABCD' }]],
    ['a channel not allowed: the defaults', { slack: '#random' }, [{ channel: 'slack' }]],
    ['a user id stored before: the defaults', { slack: 'U0123ABCD' }, [{ channel: 'slack' }]],
    [
      'only the allowed addresses',
      { email: ['a@example.com', 'b@x.corp.example', 'c@example.com.evil.io', 'd@evilexample.com'] },
      [
        { channel: 'email', to: 'a@example.com' },
        { channel: 'email', to: 'b@x.corp.example' },
      ],
    ],
    ['no address allowed: the defaults', { email: ['a@evil.io'] }, [{ channel: 'slack' }]],
  ])('%s', (_name, channels, expected) => {
    expect(route({ channels })).toEqual(expected);
  });

  it("drops a personal key's owner outside the allowed domains", () => {
    expect(route({}, { type: 'personal', ownerEmail: 'dev@elsewhere.io' })).toEqual([{ channel: 'slack' }]);
  });

  it('drops a security destination the policy refuses from an escalation', () => {
    const org: AlertSettings = { channels: { security: { slack: '#random', email: ['sec@example.com'] } } };
    expect(routeEscalation(org, { available: both, defaults: ['slack'], policy })).toEqual([
      { channel: 'email', to: 'sec@example.com' },
    ]);
    const dm: AlertSettings = { channels: { security: { slack: '@alice' } } };
    expect(routeEscalation(dm, { available: both, defaults: ['slack'], policy: {} })).toEqual([
      { channel: 'slack' },
    ]);
  });
});
