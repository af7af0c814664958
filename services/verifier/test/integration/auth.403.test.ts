import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('auth_403');
});
afterAll(async () => v?.close());

describe('403', () => {
  it('missing scope → insufficient_scope naming it', async () => {
    const { secret } = await v.makeKey({ scopes: ['chat'] });
    const res = await v.app.inject({
      url: '/v1/auth',
      headers: { ...bearer(secret), 'x-required-scope': 'agents:write' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      error: { code: 'insufficient_scope', message: 'API key lacks required scope: agents:write' },
      status: 403,
    });
  });

  it('client IP outside the allowlist → ip_not_allowed; inside → 200', async () => {
    const { secret } = await v.makeKey({
      scopes: ['chat'],
      ipAllowlist: ['203.0.113.0/24', '2001:db8::/32'],
    });
    const from = (ip: string) =>
      v.app.inject({ url: '/v1/auth', headers: { ...bearer(secret), 'x-forwarded-for': ip } });
    const outside = await from('198.51.100.7');
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toEqual({
      error: {
        code: 'ip_not_allowed',
        message: 'Requests from this IP address are not allowed for this API key',
      },
      status: 403,
    });
    expect((await from('203.0.113.77')).statusCode).toBe(200);
    expect((await from('2001:db8::5')).statusCode).toBe(200);
  });
});

describe('odd scopes', () => {
  it('a non-ASCII scope gets 403 with the contract body (and an ASCII header), not a 500', async () => {
    const { secret } = await v.makeKey({ scopes: ['chat'] });
    const res = await v.app.inject({
      url: `/v1/auth?scope=${encodeURIComponent('✓ données')}`,
      headers: bearer(secret),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      error: { code: 'insufficient_scope', message: 'API key lacks required scope: ✓ données' },
      status: 403,
    });
    expect(JSON.parse(String(res.headers['x-keywatch-error']))).toEqual(res.json());
  });

  it('a repeated ?scope= requires each, and the event carries them as one string', async () => {
    const { key, secret } = await v.makeKey({ scopes: ['admin'] });
    const res = await v.app.inject({ url: '/v1/auth?scope=chat&scope=data:read', headers: bearer(secret) });
    expect(res.statusCode).toBe(200);
    const [event] = await v.readEvents([key.id], (e) => e.length >= 1);
    expect(event!.scope).toBe('chat,data:read');
  });
});
