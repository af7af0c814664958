import { createHash } from 'node:crypto';
import { createSilence, ensureOrg } from '@keywatch/db';
import { fakeSecret } from '@keywatch/testkit';
import type { InjectOptions } from 'fastify';
import { Redis } from 'ioredis';
import type { OpenAPIV3_1 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

/**
 * Every status of every route, provoked for real: each documented (route, status) has a case here,
 * and every answer is checked against the document by the harness. A route or status added to the
 * document without a case fails the last test.
 */
let v: Verifier;
const seen = new Set<string>();
const MAX_KEYS = 3;
const MAX_SILENCES = 2;
const unknownId = '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9';

beforeAll(async () => {
  v = await startVerifier(
    'contract',
    { ORG_MAX_KEYS: MAX_KEYS, ORG_MAX_SILENCES: MAX_SILENCES },
    { proxies: true },
  );
});
afterAll(async () => v?.close());

type Request = InjectOptions & { method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string };

/** An org of its own with its admin key: creations here never meet another case's bound. */
let orgs = 0;
async function freshOrg() {
  const org = await ensureOrg(v.ctx.database.db, `contract-${++orgs}`);
  const admin = await v.makeKey({ scopes: ['admin'] }, org.id);
  return { orgId: org.id, admin: bearer(admin.secret) };
}

const key = async (orgId: string, spec: Record<string, unknown> = {}) =>
  (await v.makeKey({ scopes: ['chat'], ...spec }, orgId)).key;
const silence = (orgId: string) =>
  createSilence(
    v.ctx.database.db,
    {
      orgId,
      keyId: null,
      rule: 'failures',
      until: new Date(Date.now() + 3_600_000),
      reason: 'contract',
      createdBy: null,
    },
    Number.MAX_SAFE_INTEGER, // the test's own setup is not held to the org's bound
  );

/**
 * Each operation's ordinary request, in a fresh org: the success case as it is, the failure cases
 * by changing one thing.
 */
const ROUTES: Record<string, () => Promise<Request>> = {
  'GET /healthz': async () => ({ method: 'GET', url: '/healthz' }),
  'GET /metrics': async () => ({ method: 'GET', url: '/metrics' }),
  'GET /v1/auth': async () => {
    const { secret } = await v.makeKey({ scopes: ['chat'] });
    return { method: 'GET', url: '/v1/auth?scope=chat', headers: bearer(secret) };
  },
  'POST /v1/verify': async () => {
    const { secret } = await v.makeKey({ scopes: ['chat'] });
    return { method: 'POST', url: '/v1/verify', payload: { key: secret, scope: 'chat' } };
  },
  'POST /api/api-keys': async () => ({
    method: 'POST',
    url: '/api/api-keys',
    headers: (await freshOrg()).admin,
    payload: { name: 'contract', scopes: ['chat'] },
  }),
  'GET /api/api-keys': async () => ({
    method: 'GET',
    url: '/api/api-keys',
    headers: (await freshOrg()).admin,
  }),
  'GET /api/api-keys/{id}': async () => {
    const { orgId, admin } = await freshOrg();
    return { method: 'GET', url: `/api/api-keys/${(await key(orgId)).id}`, headers: admin };
  },
  'PATCH /api/api-keys/{id}': async () => {
    const { orgId, admin } = await freshOrg();
    return {
      method: 'PATCH',
      url: `/api/api-keys/${(await key(orgId)).id}`,
      headers: admin,
      payload: { name: 'renamed' },
    };
  },
  'DELETE /api/api-keys/{id}': async () => {
    const { orgId, admin } = await freshOrg();
    return { method: 'DELETE', url: `/api/api-keys/${(await key(orgId)).id}`, headers: admin };
  },
  'POST /api/api-keys/{id}/rotate': async () => {
    const { orgId, admin } = await freshOrg();
    const url = `/api/api-keys/${(await key(orgId)).id}/rotate`;
    return { method: 'POST', url, headers: admin, payload: { gracePeriod: '1h' } };
  },
  'GET /api/api-keys/{id}/usage': async () => {
    const { orgId, admin } = await freshOrg();
    return { method: 'GET', url: `/api/api-keys/${(await key(orgId)).id}/usage`, headers: admin };
  },
  'GET /api/usage': async () => ({ method: 'GET', url: '/api/usage', headers: (await freshOrg()).admin }),
  'GET /api/countries': async () => ({
    method: 'GET',
    url: '/api/countries',
    headers: (await freshOrg()).admin,
  }),
  'GET /api/api-keys/{id}/ips': async () => {
    const { orgId, admin } = await freshOrg();
    return { method: 'GET', url: `/api/api-keys/${(await key(orgId)).id}/ips`, headers: admin };
  },
  'GET /api/alerts': async () => ({ method: 'GET', url: '/api/alerts', headers: (await freshOrg()).admin }),
  'POST /api/alerts/preview': async () => ({
    method: 'POST',
    url: '/api/alerts/preview',
    headers: (await freshOrg()).admin,
    payload: {
      alerts: { highUsage: { threshold: 100, period: 'hourly' } },
      from: new Date(Date.now() - 7 * 86_400_000).toISOString(),
      to: new Date().toISOString(),
    },
  }),
  'GET /api/alert-settings': async () => ({
    method: 'GET',
    url: '/api/alert-settings',
    headers: (await freshOrg()).admin,
  }),
  'PUT /api/alert-settings': async () => ({
    method: 'PUT',
    url: '/api/alert-settings',
    headers: (await freshOrg()).admin,
    payload: { alerts: { failures: { threshold: 10, period: 'hourly' } } },
  }),
  'POST /api/silences': async () => {
    const { orgId, admin } = await freshOrg();
    const until = new Date(Date.now() + 3_600_000).toISOString();
    return {
      method: 'POST',
      url: '/api/silences',
      headers: admin,
      payload: { keyId: (await key(orgId)).id, until, reason: 'maintenance' },
    };
  },
  'GET /api/silences': async () => ({
    method: 'GET',
    url: '/api/silences',
    headers: (await freshOrg()).admin,
  }),
  'DELETE /api/silences/{id}': async () => {
    const { orgId, admin } = await freshOrg();
    return { method: 'DELETE', url: `/api/silences/${(await silence(orgId)).id}`, headers: admin };
  },
  'POST /api/webhook-secret': async () => ({
    method: 'POST',
    url: '/api/webhook-secret',
    headers: (await freshOrg()).admin,
  }),
  'POST /api/session': async () => ({
    method: 'POST',
    url: '/api/session',
    payload: { key: (await v.makeKey({ scopes: ['admin'] }, (await freshOrg()).orgId)).secret },
  }),
  'DELETE /api/session': async () => ({
    method: 'DELETE',
    url: '/api/session',
    headers: { cookie: await signIn(), origin: OWN_ORIGIN },
  }),
};

/** The verifier's own origin as inject reaches it (Host: localhost:80). */
const OWN_ORIGIN = 'http://localhost';

/** A fresh org's admin key signed in: its session cookie, `keywatch_session=<id>`. */
async function signIn() {
  const res = await v.app.inject(await ROUTES['POST /api/session']!());
  return String(res.headers['set-cookie']).split(';', 1)[0]!;
}

/** Routes whose caller is no Authorization header: the key signed in with, or the page's Origin. */
const CALLERS: Record<string, (r: Request, caller: 'none' | 'unscoped' | 'throttled') => Promise<Request>> = {
  'POST /api/session': async (r, caller) => {
    if (caller === 'none') return { ...r, payload: { key: fakeSecret('noSuchKey') } };
    const scopes = caller === 'unscoped' ? ['chat'] : ['admin'];
    const { secret } = await v.makeKey({ scopes, rateLimit: { limit: 1, period: 'hour' } });
    const request = { ...r, payload: { key: secret } };
    if (caller === 'throttled') await v.app.inject(request);
    return request;
  },
  // The cookie from a page of another site: refused, whatever the session.
  'DELETE /api/session': async (r) => ({ ...r, headers: { ...r.headers, origin: 'https://evil.example' } }),
};

/** What a request with a body refuses, besides its own fields. */
const BODY_REFUSALS: Record<number, (r: Request) => Request> = {
  413: (r) => ({
    ...r,
    headers: { ...r.headers, 'content-type': 'application/json' },
    payload: JSON.stringify({ pad: 'x'.repeat(70_000) }),
  }),
  415: (r) => ({ ...r, headers: { ...r.headers, 'content-type': 'text/plain' }, payload: 'not json' }),
};

/** The 400 of each route that takes input: one field wrong. */
const INVALID: Record<string, (r: Request) => Request> = {
  'POST /v1/verify': (r) => ({ ...r, payload: { key: '' } }),
  'POST /api/session': (r) => ({ ...r, payload: { key: '' } }),
  'POST /api/api-keys': (r) => ({ ...r, payload: { name: 'x', scopes: ['root'] } }),
  'GET /api/api-keys': (r) => ({ ...r, url: `${r.url}?limit=0` }),
  'PATCH /api/api-keys/{id}': (r) => ({ ...r, payload: {} }),
  'POST /api/api-keys/{id}/rotate': (r) => ({ ...r, payload: { gracePeriod: 'soon' } }),
  'GET /api/api-keys/{id}/usage': (r) => ({ ...r, url: `${r.url}?granularity=week` }),
  'GET /api/usage': (r) => ({ ...r, url: `${r.url}?granularity=week` }),
  'GET /api/countries': (r) => ({ ...r, url: `${r.url}?keyId=not-a-key` }),
  'GET /api/api-keys/{id}/ips': (r) => ({ ...r, url: `${r.url}?from=2026-11-29&to=2026-11-28` }),
  'GET /api/alerts': (r) => ({ ...r, url: `${r.url}?state=asleep` }),
  'POST /api/alerts/preview': (r) => ({ ...r, payload: { ...(r.payload as object), from: 'last week' } }),
  'PUT /api/alert-settings': (r) => ({ ...r, payload: { alerts: { failures: { threshold: -1 } } } }),
  'POST /api/silences': (r) => ({ ...r, payload: { rule: 'failures', reason: 'no end' } }),
  'GET /api/silences': (r) => ({ ...r, url: `${r.url}?cursor=not-ours` }),
};

/** The 404 of each route that names a resource: one that does not exist. */
const MISSING: Record<string, (r: Request) => Request> = {
  'GET /api/countries': (r) => ({ ...r, url: `${r.url}?keyId=${unknownId}` }),
  'POST /api/silences': (r) => ({ ...r, payload: { ...(r.payload as object), keyId: unknownId } }),
  'POST /api/alerts/preview': (r) => ({ ...r, payload: { ...(r.payload as object), keyId: unknownId } }),
};
const withUnknownId = (r: Request): Request => ({
  ...r,
  url: r.url.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, unknownId),
});

/** The 409s: an org at one of its bounds, or a key whose state refuses the change. */
const CONFLICTS: Record<string, () => Promise<Request>> = {
  'POST /api/api-keys': async () => {
    const { orgId, admin } = await freshOrg();
    for (let i = 1; i < MAX_KEYS; i++) await key(orgId);
    return {
      method: 'POST',
      url: '/api/api-keys',
      headers: admin,
      payload: { name: 'one too many', scopes: ['chat'] },
    };
  },
  'POST /api/api-keys/{id}/rotate': async () => {
    const { orgId, admin } = await freshOrg();
    const revoked = await key(orgId);
    await v.app.inject({ method: 'DELETE', url: `/api/api-keys/${revoked.id}`, headers: admin });
    return { method: 'POST', url: `/api/api-keys/${revoked.id}/rotate`, headers: admin };
  },
  'POST /api/silences': async () => {
    const { orgId, admin } = await freshOrg();
    for (let i = 0; i < MAX_SILENCES; i++) await silence(orgId);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    return {
      method: 'POST',
      url: '/api/silences',
      headers: admin,
      payload: { rule: 'highUsage', until, reason: 'x' },
    };
  },
};

async function expectStatus(route: string, status: number, request: Request) {
  const res = await v.app.inject(request);
  expect(res.statusCode, `${route} → ${res.body.slice(0, 300)}`).toBe(status);
  seen.add(`${route} ${status}`);
  return res;
}

/** A key in its own org that the verifier has not cached yet. */
const uncachedKey = async (scopes: string[]) => {
  const { orgId } = await freshOrg();
  return (await v.makeKey({ scopes }, orgId)).secret;
};

/** The request as a caller that is not (or no longer) allowed to make it. */
async function asCaller(route: string, request: Request, caller: 'none' | 'unscoped' | 'throttled') {
  if (CALLERS[route]) return CALLERS[route](request, caller);
  const headers = { ...(request.headers as Record<string, string>) };
  delete headers.authorization;
  if (caller === 'none') return { ...request, headers };
  const scopes = caller === 'unscoped' ? ['chat'] : route.includes(' /api/') ? ['admin'] : ['chat'];
  const url = caller === 'unscoped' && route === 'GET /v1/auth' ? '/v1/auth?scope=admin' : request.url;
  const { secret } = await v.makeKey({ scopes, rateLimit: { limit: 1, period: 'hour' } });
  if (caller === 'throttled')
    await v.app.inject({ ...request, url, headers: { ...headers, ...bearer(secret) } });
  return { ...request, url, headers: { ...headers, ...bearer(secret) } };
}

describe('every documented status of every route', () => {
  let document: OpenAPIV3_1.Document;
  const documented: string[] = [];
  beforeAll(() => {
    document = v.app.swagger() as OpenAPIV3_1.Document;
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const [method, operation] of Object.entries(item ?? {}) as [
        string,
        OpenAPIV3_1.OperationObject,
      ][]) {
        for (const status of Object.keys(operation.responses ?? {})) {
          documented.push(`${method.toUpperCase()} ${path} ${status}`);
        }
      }
    }
  });

  it('success, 400, 401, 403, 404, 409, 413, 415 and 429, route by route', async () => {
    for (const [route, build] of Object.entries(ROUTES)) {
      const statuses = documented
        .filter((d) => d.startsWith(`${route} `))
        .map((d) => Number(d.split(' ')[2]));
      for (const status of statuses) {
        if (status >= 500) continue; // below, with Postgres broken or gone
        const request = await build();
        if (status < 300) await expectStatus(route, status, request);
        else if (status === 400) await expectStatus(route, 400, INVALID[route]!(request));
        else if (status === 401) await expectStatus(route, 401, await asCaller(route, request, 'none'));
        else if (status === 403) await expectStatus(route, 403, await asCaller(route, request, 'unscoped'));
        else if (status === 429) await expectStatus(route, 429, await asCaller(route, request, 'throttled'));
        else if (status === 404) await expectStatus(route, 404, (MISSING[route] ?? withUnknownId)(request));
        else if (status === 409) await expectStatus(route, 409, await CONFLICTS[route]!());
        else if (status === 413 || status === 415)
          await expectStatus(route, status, BODY_REFUSALS[status]!(request));
        else throw new Error(`no case provokes ${route} ${status}`);
      }
    }
  });

  it('500 with the contract body and no detail, when something fails that nobody planned for', async () => {
    const internal = { error: { code: 'internal_error', message: 'Internal server error' }, status: 500 };
    // Verification: a stored allowlist that is not one (written behind the API's back).
    const { key: corrupt, secret } = await v.makeKey({ scopes: ['chat'] });
    await v.ctx.database.sql`update api_keys set ip_allowlist = '{not-a-network}' where id = ${corrupt.id}`;
    const auth = await expectStatus('GET /v1/auth', 500, {
      method: 'GET',
      url: '/v1/auth',
      headers: bearer(secret),
    });
    expect(auth.json()).toEqual(internal);
    const verify = await expectStatus('POST /v1/verify', 500, {
      method: 'POST',
      url: '/v1/verify',
      payload: { key: secret },
    });
    expect(verify.json()).toEqual(internal);
    // Signing in: the same corrupt allowlist on an admin key.
    const corruptAdmin = await v.makeKey({ scopes: ['admin'] });
    await v.ctx.database
      .sql`update api_keys set ip_allowlist = '{not-a-network}' where id = ${corruptAdmin.key.id}`;
    const signIn500 = { method: 'POST', url: '/api/session', payload: { key: corruptAdmin.secret } } as const;
    expect((await expectStatus('POST /api/session', 500, signIn500)).json()).toEqual(internal);
    // Signing out: a session stored as something that is not one (written behind the API's back).
    const signOut = await ROUTES['DELETE /api/session']!();
    const id = String((signOut.headers as Record<string, string>).cookie).split('=')[1]!;
    const redis = new Redis(v.ctx.config.REDIS_URL);
    const stored = `${v.ctx.config.REDIS_PREFIX}:session:${createHash('sha256').update(id).digest('hex')}`;
    await redis.multi().del(stored).sadd(stored, 'not a session').expire(stored, 60).exec();
    redis.disconnect();
    expect((await expectStatus('DELETE /api/session', 500, signOut)).json()).toEqual(internal);

    // Management: every table gone from under the routes (the admin keys are already cached).
    const requests = await Promise.all(
      Object.entries(ROUTES)
        .filter(([route]) => route.includes(' /api/') && !route.endsWith(' /api/session'))
        .map(async ([route, build]) => [route, await build()] as const),
    );
    for (const [, request] of requests) await v.app.inject(request);
    const tables: { tablename: string }[] = await v.ctx.database
      .sql`select tablename from pg_tables where schemaname = 'public'`;
    const rename = (from: string, to: string) =>
      v.ctx.database.sql.unsafe(`alter table "${from}" rename to "${to}"`);
    for (const { tablename } of tables) await rename(tablename, `${tablename}_gone`);
    try {
      for (const [route, request] of requests) {
        expect((await expectStatus(route, 500, request)).json()).toEqual(internal);
      }
    } finally {
      for (const { tablename } of tables) await rename(`${tablename}_gone`, tablename);
    }
  });

  it('503 with Retry-After, when Postgres cannot be reached', async () => {
    const requests = await Promise.all(
      Object.entries(ROUTES).map(async ([route, build]) => [route, await build()] as const),
    );
    for (const [, request] of requests) await v.app.inject(request);
    const uncached = {
      auth: await uncachedKey(['chat']),
      verify: await uncachedKey(['chat']),
      session: await uncachedKey(['admin']),
    };
    await v.proxies!.postgres.cut();
    try {
      // All at once: each waits for the pool's next attempt to reach Postgres (at most 2 s).
      await Promise.all(
        requests
          .filter(([route]) => documented.includes(`${route} 503`) && route !== 'DELETE /api/session')
          .map(async ([route, request]) => {
            const fresh =
              route === 'GET /v1/auth'
                ? { ...request, headers: bearer(uncached.auth) }
                : route === 'POST /v1/verify'
                  ? { ...request, payload: { key: uncached.verify } }
                  : route === 'POST /api/session'
                    ? { ...request, payload: { key: uncached.session } }
                    : request;
            const res = await expectStatus(route, 503, fresh);
            if (route !== 'GET /healthz') expect(res.headers['retry-after']).toBe('5');
          }),
      );
    } finally {
      await v.proxies!.postgres.mend();
    }
  });

  it('503 with Retry-After, when Redis cannot be reached (sessions live there)', async () => {
    const signIn = await ROUTES['POST /api/session']!();
    const signOut = await ROUTES['DELETE /api/session']!();
    await v.proxies!.redis.cut();
    try {
      for (const [route, request] of [
        ['POST /api/session', signIn],
        ['DELETE /api/session', signOut],
      ] as const) {
        expect((await expectStatus(route, 503, request)).headers['retry-after']).toBe('5');
      }
    } finally {
      await v.proxies!.redis.mend();
    }
  });

  it('left no documented status untested', () => {
    expect(documented.filter((d) => !seen.has(d))).toEqual([]);
  });
});
