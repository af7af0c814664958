import type { DeliverJob } from '@keywatch/jobs';
import { describe, expect, it } from 'vitest';
import { destinationOf } from '../../src/destination-throttle.ts';

const config = { SLACK_CHANNEL: '#security', ALERT_EMAIL_TO: 'Security@Example.com' };

describe('destinationOf', () => {
  it.each<[Pick<DeliverJob, 'channel' | 'to'>, string | null]>([
    [{ channel: 'webhook', to: 'https://hooks.example.com/a?token=x' }, 'webhook:https://hooks.example.com'],
    [
      { channel: 'webhook', to: 'https://hooks.example.com:8443/b' },
      'webhook:https://hooks.example.com:8443',
    ],
    [{ channel: 'webhook', to: 'HTTPS://Hooks.Example.com/c' }, 'webhook:https://hooks.example.com'],
    [{ channel: 'slack', to: '#team-a' }, 'slack:#team-a'],
    [{ channel: 'slack' }, 'slack:#security'],
    [{ channel: 'email', to: 'owner@mail.example.org' }, 'email:mail.example.org'],
    [{ channel: 'email' }, 'email:example.com'],
    [{ channel: 'log' }, null],
  ])('%j → %s', (job, destination) => {
    expect(destinationOf(job, config)).toBe(destination);
  });
});
