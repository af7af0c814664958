import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

// Refusals made before any handler runs: each answers the contract's error body with its own
// status (and every answer here is also checked against the OpenAPI document by the harness).
let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('http_edge');
});
afterAll(async () => v?.close());

const admin = () => bearer(v.adminSecret);
const newKey = { name: 'edge', scopes: ['chat'] };

describe('404 and 405', () => {
  it('a path no route serves → 404 naming the route', async () => {
    const res = await v.app.inject({ url: '/api/nothing-here?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'not_found', message: 'route GET /api/nothing-here not found' },
      status: 404,
    });
  });

  it.each([
    ['PUT', '/api/api-keys', ['GET', 'HEAD', 'POST']],
    ['POST', '/api/api-keys/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9', ['DELETE', 'GET', 'HEAD', 'PATCH']],
    ['GET', '/v1/verify', ['POST']],
    ['DELETE', '/api/alert-settings', ['GET', 'HEAD', 'PUT']],
  ])('%s %s → 405 with Allow: %j', async (method, url, allowed) => {
    const res = await v.app.inject({ method: method as 'GET', url, headers: admin() });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow?.toString().split(', ').sort()).toEqual(allowed);
    expect(res.json()).toEqual({
      error: { code: 'method_not_allowed', message: `Method ${method} is not allowed on ${url}` },
      status: 405,
    });
  });

  it('a path whose id is not a UUID names no resource → 404 for that resource, not a 400', async () => {
    for (const [method, url, what] of [
      ['GET', '/api/api-keys/not-a-uuid', 'API key'],
      ['DELETE', '/api/silences/42', 'Silence'],
    ] as const) {
      const res = await v.app.inject({ method, url, headers: admin() });
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toEqual({ code: 'not_found', message: `${what} not found` });
    }
  });
});

describe('bodies the API does not take', () => {
  it('413 payload_too_large for a body over 64 KiB', async () => {
    const res = await v.app.inject({
      method: 'POST',
      url: '/api/api-keys',
      headers: { ...admin(), 'content-type': 'application/json' },
      payload: JSON.stringify({ ...newKey, name: 'x'.repeat(70_000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      error: { code: 'payload_too_large', message: 'Request body is larger than 65536 bytes' },
      status: 413,
    });
  });

  it('415 unsupported_media_type for a body that is not JSON', async () => {
    const res = await v.app.inject({
      method: 'POST',
      url: '/api/api-keys',
      headers: { ...admin(), 'content-type': 'text/plain' },
      payload: 'name=edge',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({
      error: {
        code: 'unsupported_media_type',
        message: 'Content-Type text/plain is not supported; send application/json',
      },
      status: 415,
    });
  });

  it('400 invalid_request for JSON that does not parse', async () => {
    const res = await v.app.inject({
      method: 'POST',
      url: '/v1/verify',
      headers: { 'content-type': 'application/json' },
      payload: '{"key": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
    expect(res.json().error.message).toMatch(/^body: /);
  });

  it('400 names every field that is wrong, in one answer', async () => {
    const res = await v.app.inject({
      method: 'POST',
      url: '/api/api-keys',
      headers: admin(),
      payload: { name: '', scopes: ['root'], rateLimit: { limit: 0, period: 'week' } },
    });
    expect(res.statusCode).toBe(400);
    const message: string = res.json().error.message;
    for (const field of ['name: ', 'scopes.0: ', 'rateLimit.limit: ', 'rateLimit.period: ']) {
      expect(message).toContain(field);
    }
  });

  it('forward-auth answers its verdict whatever body a gateway forwards', async () => {
    const { secret } = await v.makeKey({ scopes: ['chat'] });
    for (const [type, payload] of [
      ['application/json', '{"broken": '],
      ['text/plain', 'hello'],
      ['application/octet-stream', Buffer.alloc(200_000)],
    ] as const) {
      const allowed = await v.app.inject({
        method: 'POST',
        url: '/v1/auth',
        headers: { ...bearer(secret), 'content-type': type },
        payload,
      });
      expect(allowed.statusCode).toBe(200);
      const refused = await v.app.inject({
        method: 'POST',
        url: '/v1/auth',
        headers: { 'content-type': type },
        payload,
      });
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.code).toBe('missing_auth_header');
    }
  });
});
