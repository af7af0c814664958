import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

// TRUSTED_PROXIES defaults to loopback: inject's default peer (127.0.0.1) is trusted, these are not.
const STRANGER = '198.51.100.20';
const PROXY = '127.0.0.1';

let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('client_claims');
});
afterAll(async () => v?.close());

describe('what a caller says about the client is believed only from a trusted proxy', () => {
  it('GET /v1/auth from a stranger: its X-Forwarded-For and X-Original-* are ignored', async () => {
    const { key, secret } = await v.makeKey({ scopes: ['chat'] });
    const res = await v.app.inject({
      url: '/v1/auth?scope=chat',
      remoteAddress: STRANGER,
      headers: {
        ...bearer(secret),
        'x-forwarded-for': '81.2.69.142',
        'x-original-method': 'DELETE',
        'x-original-uri': '/admin/everything',
      },
    });
    expect(res.statusCode).toBe(200);
    const [event] = await v.readEvents([key.id], (e) => e.length >= 1);
    expect(event).toMatchObject({ ip: STRANGER, method: 'GET', path: '/v1/auth' });
  });

  it('GET /v1/auth from the proxy: the same headers are believed', async () => {
    const { key, secret } = await v.makeKey({ scopes: ['chat'] });
    await v.app.inject({
      url: '/v1/auth?scope=chat',
      remoteAddress: PROXY,
      headers: {
        ...bearer(secret),
        'x-forwarded-for': '81.2.69.142',
        'x-original-method': 'DELETE',
        'x-original-uri': '/agents/7?token=x',
      },
    });
    const [event] = await v.readEvents([key.id], (e) => e.length >= 1);
    expect(event).toMatchObject({ ip: '81.2.69.142', country: 'GB', method: 'DELETE', path: '/agents/7' });
  });

  it('POST /v1/verify from a stranger: ip, method and path of the body are ignored, and so is its allowlist claim', async () => {
    const { key, secret } = await v.makeKey({ scopes: ['chat'], ipAllowlist: ['81.2.69.0/24'] });
    const res = await v.app.inject({
      method: 'POST',
      url: '/v1/verify',
      remoteAddress: STRANGER,
      payload: { key: secret, ip: '81.2.69.142', method: 'GET', path: '/x' },
    });
    expect(res.json()).toMatchObject({ valid: false, code: 'IP_NOT_ALLOWED' });
    const [event] = await v.readEvents([key.id], (e) => e.length >= 1);
    expect(event).toMatchObject({ ip: STRANGER, method: null, path: null, code: 'IP_NOT_ALLOWED' });
  });

  it('POST /v1/verify from a trusted application server: its claims are taken', async () => {
    const { key, secret } = await v.makeKey({ scopes: ['chat'], ipAllowlist: ['81.2.69.0/24'] });
    const res = await v.app.inject({
      method: 'POST',
      url: '/v1/verify',
      remoteAddress: PROXY,
      payload: { key: secret, ip: '81.2.69.142', method: 'put', path: '/agents/7?secret=1' },
    });
    expect(res.json()).toMatchObject({ valid: true, code: 'VALID' });
    const [event] = await v.readEvents([key.id], (e) => e.length >= 1);
    expect(event).toMatchObject({ ip: '81.2.69.142', country: 'GB', method: 'PUT', path: '/agents/7' });
  });

  it('Envoy: /v1/auth/<original path> is /v1/auth; Traefik: X-Forwarded-Method and -Uri from the proxy', async () => {
    const { key, secret } = await v.makeKey({ scopes: ['chat'] });
    const envoy = await v.app.inject({
      url: '/v1/auth/agents/7',
      remoteAddress: PROXY,
      headers: { ...bearer(secret), 'x-required-scope': 'chat', 'x-original-uri': '/agents/7' },
    });
    expect(envoy.statusCode).toBe(200);
    await v.app.inject({
      url: '/v1/auth?scope=chat',
      remoteAddress: PROXY,
      headers: { ...bearer(secret), 'x-forwarded-method': 'POST', 'x-forwarded-uri': '/agents/8' },
    });
    const events = await v.readEvents([key.id], (e) => e.length >= 2);
    expect(events.map((e) => [e.method, e.path])).toEqual([
      ['GET', '/agents/7'],
      ['POST', '/agents/8'],
    ]);
  });

  it('keeps events small whoever calls: no 16 KB method, no unbounded path or user agent', async () => {
    const { key, secret } = await v.makeKey({ scopes: ['chat'] });
    await v.app.inject({
      url: '/v1/auth',
      remoteAddress: PROXY,
      headers: {
        ...bearer(secret),
        'x-original-method': 'A'.repeat(15_000),
        'x-original-uri': `/${'p'.repeat(15_000)}`,
        'user-agent': 'u'.repeat(15_000),
      },
    });
    const [event] = await v.readEvents([key.id], (e) => e.length >= 1);
    expect(event!.method).toBeNull();
    expect(event!.path).toHaveLength(2048);
    expect(event!.userAgent).toHaveLength(512);
    expect(JSON.stringify(event).length).toBeLessThan(4000);
  });
});
