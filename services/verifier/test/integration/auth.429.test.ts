import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('auth_429');
});
afterAll(async () => v?.close());

describe('429', () => {
  it('over the key rate limit → rate_limit_exceeded with Retry-After', async () => {
    const { secret } = await v.makeKey({ scopes: ['chat'], rateLimit: { limit: 3, period: 'hour' } });
    const responses = [];
    for (let i = 0; i < 5; i++)
      responses.push(await v.app.inject({ url: '/v1/auth', headers: bearer(secret) }));
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 429, 429]);
    const last = responses[4]!;
    expect(last.json()).toEqual({
      error: { code: 'rate_limit_exceeded', message: 'Rate limit of 3 requests per hour exceeded' },
      status: 429,
    });
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(last.headers['x-ratelimit-remaining']).toBe('0');
  });

  it('the management API answers 429 the same way, with Retry-After', async () => {
    const { secret } = await v.makeKey({ scopes: ['admin'], rateLimit: { limit: 2, period: 'hour' } });
    const responses = [];
    for (let i = 0; i < 3; i++)
      responses.push(await v.app.inject({ url: '/api/api-keys', headers: bearer(secret) }));
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 429]);
    expect(responses[2]!.json()).toEqual({
      error: { code: 'rate_limit_exceeded', message: 'Rate limit of 2 requests per hour exceeded' },
      status: 429,
    });
    expect(Number(responses[2]!.headers['retry-after'])).toBeGreaterThan(0);
    expect(responses[0]!.headers['x-ratelimit-remaining']).toBe('1');
  });
});
