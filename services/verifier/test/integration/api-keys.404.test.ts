import { ensureOrg } from '@keywatch/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('api_keys_404');
});
afterAll(async () => v?.close());

const notFound = { error: { code: 'not_found', message: 'API key not found' }, status: 404 };

describe('404: an org sees and touches only its own keys', () => {
  it.each([
    ['GET', ''],
    ['PATCH', ''],
    ['DELETE', ''],
    ['POST', '/rotate'],
    ['GET', '/usage'],
  ] as const)(
    '%s /api/api-keys/:id%s of another org → 404, and the key is untouched',
    async (method, suffix) => {
      const other = await ensureOrg(v.ctx.database.db, 'other-org');
      const { key, secret } = await v.makeKey({ scopes: ['chat'] }, other.id);
      const res = await v.app.inject({
        method,
        url: `/api/api-keys/${key.id}${suffix}`,
        headers: bearer(v.adminSecret),
        ...(method === 'PATCH' ? { payload: { name: 'stolen' } } : {}),
      });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual(notFound);
      expect((await v.app.inject({ url: '/v1/auth', headers: bearer(secret) })).statusCode).toBe(200);
    },
  );

  it('a list holds only the caller org keys', async () => {
    const other = await ensureOrg(v.ctx.database.db, 'other-org-2');
    const { key } = await v.makeKey({ scopes: ['chat'] }, other.id);
    const listed = (await v.app.inject({ url: '/api/api-keys', headers: bearer(v.adminSecret) })).json();
    expect(listed.keys.map((k: { id: string }) => k.id)).not.toContain(key.id);
    expect(listed.keys.every((k: { orgId: string }) => k.orgId === v.org.id)).toBe(true);
  });

  it('ids that are not UUIDs and unknown routes → 404 with the contract body', async () => {
    expect(
      (await v.app.inject({ url: '/api/api-keys/not-a-uuid', headers: bearer(v.adminSecret) })).json(),
    ).toEqual(notFound);
    const route = await v.app.inject({ url: '/nope' });
    expect(route.statusCode).toBe(404);
    expect(route.json()).toEqual({
      error: { code: 'not_found', message: 'route GET /nope not found' },
      status: 404,
    });
  });

  it('management without an admin key → 401/403 with the contract bodies', async () => {
    expect((await v.app.inject({ url: '/api/api-keys' })).json()).toEqual({
      error: { code: 'missing_auth_header', message: 'Authorization header is required' },
      status: 401,
    });
    const { secret } = await v.makeKey({ scopes: ['chat'] });
    expect((await v.app.inject({ url: '/api/api-keys', headers: bearer(secret) })).json()).toEqual({
      error: { code: 'insufficient_scope', message: 'API key lacks required scope: admin' },
      status: 403,
    });
  });
});
