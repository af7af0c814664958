import type { AlertSettings } from '@keywatch/rules';
import { describe, expect, it } from 'vitest';
import { type Channel, type DeliverJob, routeAlert, upgradeDeliverJob } from '../src/index.ts';

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
      }),
    ).toEqual(expected);
  });
});
