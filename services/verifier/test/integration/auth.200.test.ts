import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('auth_200');
});
afterAll(async () => v?.close());

describe('200: a valid key', () => {
  it('GET /v1/auth answers 200 with the key headers and rate limit headers', async () => {
    const { key, secret } = await v.makeKey({ scopes: ['agents:write', 'chat'] });
    const res = await v.app.inject({
      method: 'GET',
      url: '/v1/auth',
      headers: { ...bearer(secret), 'x-required-scope': 'agents:write' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-key-id']).toBe(key.id);
    expect(res.headers['x-org-id']).toBe(v.org.id);
    expect(res.headers['x-key-scopes']).toBe('agents:write,chat');
    expect(res.headers['x-ratelimit-limit']).toBe('100');
    expect(res.headers['x-ratelimit-remaining']).toBe('99');
    expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
  });

  it('takes the scope from ?scope= and accepts any method', async () => {
    const { secret } = await v.makeKey({ scopes: ['data:read'] });
    for (const method of ['POST', 'DELETE', 'PUT'] as const) {
      const res = await v.app.inject({ method, url: '/v1/auth?scope=data:read', headers: bearer(secret) });
      expect(res.statusCode).toBe(200);
    }
  });

  it('lets admin stand for every scope', async () => {
    const { secret } = await v.makeKey({ scopes: ['admin'] });
    const res = await v.app.inject({
      url: '/v1/auth',
      headers: { ...bearer(secret), 'x-required-scope': 'agents:delete' },
    });
    expect(res.statusCode).toBe(200);
  });

  it('POST /v1/verify answers valid with the key details', async () => {
    const { key, secret } = await v.makeKey({ scopes: ['chat'], expiresAt: '2099-01-01' });
    const res = await v.app.inject({
      method: 'POST',
      url: '/v1/verify',
      payload: { key: secret, scope: 'chat' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      valid: true,
      code: 'VALID',
      keyId: key.id,
      orgId: v.org.id,
      scopes: ['chat'],
      expiresAt: '2099-01-01T00:00:00.000Z',
      ratelimit: { limit: 100, remaining: 99, reset: expect.any(Number) },
    });
  });

  it('emits one AuthEvent per verification, keyed and without the secret', async () => {
    const { key, secret } = await v.makeKey({ scopes: ['chat'] });
    for (let i = 0; i < 3; i++) {
      await v.app.inject({
        url: '/v1/auth',
        headers: {
          ...bearer(secret),
          'x-required-scope': i === 2 ? 'admin' : 'chat',
          'x-original-method': 'POST',
          'x-original-uri': '/agents/7',
          'x-forwarded-for': '81.2.69.142',
          'user-agent': 'sdk/1.0',
        },
      });
    }
    const events = await v.readEvents([key.id], (e) => e.length >= 3);
    expect(events.map((e) => e.code)).toEqual(['VALID', 'VALID', 'INSUFFICIENT_SCOPE']);
    expect(events[0]).toMatchObject({
      v: 1,
      keyId: key.id,
      orgId: v.org.id,
      keyPrefix: key.prefix,
      outcome: 'success',
      scope: 'chat',
      method: 'POST',
      path: '/agents/7',
      ip: '81.2.69.142', // inject's peer is loopback, a trusted proxy by default
      country: 'GB',
      userAgent: 'sdk/1.0',
    });
    expect(JSON.stringify(events)).not.toContain(secret);
  });
});
