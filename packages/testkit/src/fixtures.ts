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
