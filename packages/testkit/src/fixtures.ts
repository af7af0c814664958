import { type AuthEvent, type AuthEventInput, newAuthEvent } from '@keywatch/events';

/** A valid AuthEvent of a GB client for key `k1`, with any field overridden. */
export const authEventFixture = (overrides: Partial<AuthEventInput> = {}): AuthEvent =>
  newAuthEvent({
    keyId: 'k1',
    orgId: null,
    keyPrefix: null,
    code: 'VALID',
    scope: null,
    method: 'GET',
    path: '/',
    ip: '81.2.69.142',
    country: 'GB',
    userAgent: null,
    latencyMs: 1,
    ...overrides,
  });

/**
 * A well-formed secret that no key has, built at run time so that secret scanners never meet a
 * realistic `sk_live_…` literal in the sources. `tag` leads its random part (letters and digits).
 */
export const fakeSecret = (tag = 'fake'): string => `sk_live_${`${tag}${'0'.repeat(32)}`.slice(0, 32)}`;

/** A Slack bot token of the right shape, for tests of redaction. */
export const fakeSlackToken = (): string => ['xoxb', '1234567', 'fake'].join('-');
