import { createHash } from 'node:crypto';
import { fakeSecret } from '@keywatch/testkit';
import type { InjectOptions } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
let redis: Redis;
beforeAll(async () => {
  v = await startVerifier('session');
  redis = new Redis(v.ctx.config.REDIS_URL);
});
afterAll(async () => {
  redis?.disconnect();
  await v?.close();
});

/** The verifier's own origin as inject reaches it (Host: localhost:80). */
const OWN = 'http://localhost';
const invalidKey = {
  error: { code: 'invalid_api_key', message: 'The API key provided is invalid' },
  status: 401,
};
const csrfRefused = {
  error: { code: 'csrf_refused', message: 'Cross-site request refused: the Origin does not match' },
  status: 403,
};

const signIn = (app: Verifier['app'], key: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/session', payload: { key }, headers });

/** `keywatch_session=<id>` of an answer's Set-Cookie. */
const cookieOf = (res: { headers: Record<string, unknown> }) =>
  String(res.headers['set-cookie']).split(';', 1)[0]!;
const idOf = (cookie: string) => cookie.slice('keywatch_session='.length);
const storedKey = (cookie: string) =>
  `${v.ctx.config.REDIS_PREFIX}:session:${createHash('sha256').update(idOf(cookie)).digest('hex')}`;

/** A fresh admin key of the test's org, signed in: its id, secret and session cookie. */
async function signedIn() {
  const { key, secret } = await v.makeKey({ scopes: ['admin'] });
  const res = await signIn(v.app, secret);
  expect(res.statusCode, res.body).toBe(204);
  return { keyId: key.id, secret, cookie: cookieOf(res) };
}

/** Limits a key to 10.0.0.0/8, which inject's 127.0.0.1 is outside of. */
async function fenceIn(keyId: string) {
  const res = await v.app.inject({
    method: 'PATCH',
    url: `/api/api-keys/${keyId}`,
    headers: bearer(v.adminSecret),
    payload: { ipAllowlist: ['10.0.0.0/8'] },
  });
  expect(res.statusCode).toBe(200);
}

const withCookie = (cookie: string, request: InjectOptions & { url: string }, origin?: string) =>
  v.app.inject({ ...request, headers: { ...request.headers, cookie, ...(origin && { origin }) } });
const listKeys = (cookie: string) => withCookie(cookie, { url: '/api/api-keys' });

describe('signing in', () => {
  it('answers 204 with an HttpOnly, SameSite=Strict cookie on /api for 12 h (not Secure over http)', async () => {
    const res = await signIn(v.app, v.adminSecret);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['cache-control']).toBe('no-store');
    const setCookie = String(res.headers['set-cookie']);
    const [pair, ...attributes] = setCookie.split('; ');
    expect(pair).toMatch(/^keywatch_session=[A-Za-z0-9_-]{43}$/);
    expect(attributes.sort()).toEqual(['HttpOnly', 'Max-Age=43200', 'Path=/api', 'SameSite=Strict']);
  });

  it('marks the cookie Secure when PUBLIC_URL is https, and takes its origin as the verifier’s', async () => {
    const https = await startVerifier('session_https', { PUBLIC_URL: 'https://keywatch.example.com' });
    try {
      const res = await signIn(https.app, https.adminSecret, { origin: 'https://keywatch.example.com' });
      expect(res.statusCode).toBe(204);
      expect(String(res.headers['set-cookie']).split('; ')).toContain('Secure');
      const cookie = cookieOf(res);
      const create = (origin: string) =>
        https.app.inject({
          method: 'POST',
          url: '/api/api-keys',
          headers: { cookie, origin },
          payload: { name: 'from the dashboard', scopes: ['chat'] },
        });
      // The Host the request names is not the origin users reach: PUBLIC_URL's is.
      expect((await create(OWN)).json()).toEqual(csrfRefused);
      expect((await create('https://keywatch.example.com')).statusCode).toBe(201);
      expect(
        (await signIn(https.app, https.adminSecret, { origin: 'http://keywatch.example.com' })).statusCode,
      ).toBe(403);
    } finally {
      await https.close();
    }
  });

  it('refuses a wrong key with the Bearer’s 401 and sets no cookie', async () => {
    const res = await signIn(v.app, fakeSecret('neverIssued'));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(invalidKey);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a key without admin with 403, as one AuthEvent of the sign-in', async () => {
    const { key, secret } = await v.makeKey({ scopes: ['chat', 'analytics:read'] });
    const res = await signIn(v.app, secret);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      error: { code: 'insufficient_scope', message: 'API key lacks required scope: admin' },
      status: 403,
    });
    expect(res.headers['set-cookie']).toBeUndefined();
    const events = await v.readEvents([key.id], (found) => found.length > 0);
    expect(events).toEqual([
      expect.objectContaining({ code: 'INSUFFICIENT_SCOPE', path: '/api/session', scope: 'admin' }),
    ]);
  });

  it('refuses a rotated-out admin key (403 key_rotated), and a key outside its IP allowlist', async () => {
    const { key, secret } = await v.makeKey({ scopes: ['admin'] });
    const rotate = await v.app.inject({
      method: 'POST',
      url: `/api/api-keys/${key.id}/rotate`,
      headers: bearer(v.adminSecret),
      payload: { gracePeriod: '1h' },
    });
    expect(rotate.statusCode).toBe(201);
    const rotated = await signIn(v.app, secret);
    expect(rotated.statusCode).toBe(403);
    expect(rotated.json().error.code).toBe('key_rotated');

    const fenced = await v.makeKey({ scopes: ['admin'], ipAllowlist: ['10.0.0.0/8'] });
    const outside = await signIn(v.app, fenced.secret);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('ip_not_allowed');
  });

  it('refuses a sign-in posted from another site’s page (login CSRF), takes one without Origin', async () => {
    const foreign = await signIn(v.app, v.adminSecret, { origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toEqual(csrfRefused);
    expect(foreign.headers['set-cookie']).toBeUndefined();
    expect((await signIn(v.app, v.adminSecret, { origin: 'null' })).statusCode).toBe(403);
    expect((await signIn(v.app, v.adminSecret, { origin: OWN })).statusCode).toBe(204);
    expect((await signIn(v.app, v.adminSecret, { origin: 'http://localhost:80' })).statusCode).toBe(204);
  });

  it('stores only the hash of the session id, with who signed in and no secret, for 12 h', async () => {
    const { keyId, secret, cookie } = await signedIn();
    const id = idOf(cookie);
    const keys = await redis.keys(`${v.ctx.config.REDIS_PREFIX}:session:*`);
    expect(keys).toContain(storedKey(cookie));
    expect(keys.some((k) => k.includes(id))).toBe(false);
    const stored = (await redis.get(storedKey(cookie)))!;
    expect(stored).not.toContain(id);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice(8, 20));
    const value = JSON.parse(stored);
    expect(Object.keys(value).sort()).toEqual(['createdAt', 'keyId', 'orgId']);
    expect(value).toMatchObject({ keyId, orgId: v.org.id });
    expect(Math.abs(Date.parse(value.createdAt) - Date.now())).toBeLessThan(60_000);
    const ttl = await redis.ttl(storedKey(cookie));
    expect(ttl).toBeGreaterThan(43_200 - 60);
    expect(ttl).toBeLessThanOrEqual(43_200);
  });
});

describe('the session cookie', () => {
  it('alone lists the org’s keys', async () => {
    const { keyId, cookie } = await signedIn();
    const res = await listKeys(cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json().keys.map((k: { id: string }) => k.id)).toContain(keyId);
    expect(
      (await v.app.inject({ url: '/api/api-keys', headers: { cookie: 'keywatch_session=forged' } })).json(),
    ).toEqual(invalidKey);
    expect((await v.app.inject({ url: '/api/api-keys', headers: { cookie: 'other=1' } })).statusCode).toBe(
      401,
    );
  });

  it('is a use of its key: one AuthEvent per request, refusals included, as with a Bearer', async () => {
    const { keyId, cookie } = await signedIn();
    expect((await listKeys(cookie)).statusCode).toBe(200);
    await fenceIn(keyId);
    expect((await listKeys(cookie)).statusCode).toBe(403);
    // The sign-in, the listing, the refused listing.
    const events = await v.readEvents([keyId], (found) => found.length >= 3);
    expect(events.map((e) => [e.code, e.method, e.path, e.scope])).toEqual([
      ['VALID', 'POST', '/api/session', 'admin'],
      ['VALID', 'GET', '/api/api-keys', 'admin'],
      ['IP_NOT_ALLOWED', 'GET', '/api/api-keys', 'admin'],
    ]);
  });

  it('acts as the key that signed in: the audit names it', async () => {
    const { keyId, cookie } = await signedIn();
    const res = await withCookie(
      cookie,
      { method: 'POST', url: '/api/api-keys', payload: { name: 'made in the dashboard', scopes: ['chat'] } },
      OWN,
    );
    expect(res.statusCode).toBe(201);
    const rows = await v.ctx.database.sql`
      select actor_key_id, action from audit_log where key_id = ${res.json().id}`;
    expect(rows).toEqual([{ actor_key_id: keyId, action: 'key.create' }]);
  });

  it('changes nothing without the verifier’s own Origin (403 csrf_refused); Bearer needs none', async () => {
    const { cookie } = await signedIn();
    const put = {
      method: 'PUT',
      url: '/api/alert-settings',
      payload: { alerts: { unusualActivity: true } },
    } as const;
    const missing = await withCookie(cookie, put);
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual(csrfRefused);
    expect((await withCookie(cookie, put, 'https://evil.example')).json()).toEqual(csrfRefused);
    expect((await withCookie(cookie, put, 'http://localhost.evil.example')).statusCode).toBe(403);
    expect((await withCookie(cookie, put, OWN)).statusCode).toBe(200);
    const unknownKey = '/api/api-keys/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9';
    for (const [method, url] of [
      ['POST', '/api/webhook-secret'],
      ['PATCH', unknownKey],
      ['DELETE', unknownKey],
    ] as const) {
      expect((await withCookie(cookie, { method, url })).json(), method).toEqual(csrfRefused);
    }
    // Reading needs no Origin; a Bearer key is no cookie a browser sends by itself.
    expect((await listKeys(cookie)).statusCode).toBe(200);
    const bearerPut = await v.app.inject({ ...put, headers: bearer(v.adminSecret) });
    expect(bearerPut.statusCode).toBe(200);
  });

  it('is ignored when an Authorization header is sent: Bearer wins', async () => {
    const { cookie } = await signedIn();
    const res = await v.app.inject({
      url: '/api/api-keys',
      headers: { cookie, authorization: `Bearer ${fakeSecret('neverIssued')}` },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(invalidKey);
    const chat = await v.makeKey({ scopes: ['chat'] });
    const scoped = await v.app.inject({ url: '/api/api-keys', headers: { cookie, ...bearer(chat.secret) } });
    expect(scoped.statusCode).toBe(403);
  });

  it('stops working once signed out; signing out again is still 204', async () => {
    const { cookie } = await signedIn();
    const out = await v.app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie, origin: OWN },
    });
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe('');
    expect(String(out.headers['set-cookie']).split('; ').sort()).toEqual([
      'HttpOnly',
      'Max-Age=0',
      'Path=/api',
      'SameSite=Strict',
      'keywatch_session=',
    ]);
    expect(await redis.exists(storedKey(cookie))).toBe(0);
    expect((await listKeys(cookie)).json()).toEqual(invalidKey);
    const again = await v.app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie, origin: OWN },
    });
    expect(again.statusCode).toBe(204);
    expect((await v.app.inject({ method: 'DELETE', url: '/api/session' })).statusCode).toBe(204);
  });

  it('cannot be ended by another site’s page', async () => {
    const { cookie } = await signedIn();
    const out = await v.app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(out.json()).toEqual(csrfRefused);
    expect((await listKeys(cookie)).statusCode).toBe(200);
  });

  it('ends at once when its key is revoked, and is deleted', async () => {
    const { keyId, cookie } = await signedIn();
    expect((await listKeys(cookie)).statusCode).toBe(200);
    const revoke = await v.app.inject({
      method: 'DELETE',
      url: `/api/api-keys/${keyId}`,
      headers: bearer(v.adminSecret),
    });
    expect(revoke.statusCode).toBe(200);
    expect((await listKeys(cookie)).json()).toEqual(invalidKey);
    expect(await redis.exists(storedKey(cookie))).toBe(0);
  });

  it('ends when its key loses admin, is rotated out or expires', async () => {
    const demoted = await signedIn();
    const patch = await v.app.inject({
      method: 'PATCH',
      url: `/api/api-keys/${demoted.keyId}`,
      headers: bearer(v.adminSecret),
      payload: { scopes: ['chat'] },
    });
    expect(patch.statusCode).toBe(200);
    expect((await listKeys(demoted.cookie)).json()).toEqual(invalidKey);

    const rotated = await signedIn();
    const rotate = await v.app.inject({
      method: 'POST',
      url: `/api/api-keys/${rotated.keyId}/rotate`,
      headers: bearer(v.adminSecret),
      payload: { gracePeriod: '1h' },
    });
    expect(rotate.statusCode).toBe(201);
    expect((await listKeys(rotated.cookie)).json()).toEqual(invalidKey);

    const expiring = await signedIn();
    await v.ctx.database
      .sql`update api_keys set expires_at = now() - interval '1 second' where id = ${expiring.keyId}`;
    expect((await listKeys(expiring.cookie)).json()).toEqual(invalidKey);
    expect(await redis.exists(storedKey(expiring.cookie))).toBe(0);
  });

  it('spends its key’s rate limit, as the key’s own requests do: past it, 429 with Retry-After', async () => {
    const { secret } = await v.makeKey({ scopes: ['admin'], rateLimit: { limit: 3, period: 'hour' } });
    const cookie = cookieOf(await signIn(v.app, secret)); // the sign-in is the first of the 3
    for (const remaining of [1, 0]) {
      const res = await listKeys(cookie);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-remaining']).toBe(String(remaining));
    }
    const refused = await listKeys(cookie);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toEqual({
      code: 'rate_limit_exceeded',
      message: 'Rate limit of 3 requests per hour exceeded',
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The key itself is spent too: the budget is one, however the key is presented.
    expect((await v.app.inject({ url: '/api/api-keys', headers: bearer(secret) })).statusCode).toBe(429);
  });

  it('holds to its key’s IP allowlist', async () => {
    const { keyId, cookie } = await signedIn();
    await fenceIn(keyId);
    const res = await listKeys(cookie);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('ip_not_allowed');
  });

  it('expires with its Redis entry, and by its own age', async () => {
    const expired = await signedIn();
    expect((await listKeys(expired.cookie)).statusCode).toBe(200);
    // Twelve hours pass for the entry: Redis forgets it.
    await redis.pexpireat(storedKey(expired.cookie), Date.now() - 1);
    expect((await listKeys(expired.cookie)).json()).toEqual(invalidKey);

    // An entry that outlived its twelve hours (a TTL lost, say) names no session either.
    const old = await signedIn();
    const stored = JSON.parse((await redis.get(storedKey(old.cookie)))!);
    const createdAt = new Date(Date.now() - 12 * 3600 * 1000 - 1000).toISOString();
    await redis.set(storedKey(old.cookie), JSON.stringify({ ...stored, createdAt }), 'KEEPTTL');
    expect((await listKeys(old.cookie)).json()).toEqual(invalidKey);
    expect(await redis.exists(storedKey(old.cookie))).toBe(0);
  });
});
