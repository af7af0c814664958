import { auditLog } from '@keywatch/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('lifecycle');
});
afterAll(async () => v?.close());

const admin = () => bearer(v.adminSecret);
const authWith = (secret: string, scope = 'chat') =>
  v.app.inject({ url: '/v1/auth', headers: { ...bearer(secret), 'x-required-scope': scope } });
const auditOf = (keyId: string) =>
  v.ctx.database.db.select().from(auditLog).where(eq(auditLog.keyId, keyId)).orderBy(auditLog.at);

describe('key lifecycle', () => {
  it('creates with every field, lists and gets without secrets or hashes, and audits the creation', async () => {
    const created = await v.app.inject({
      method: 'POST',
      url: '/api/api-keys',
      headers: admin(),
      payload: {
        name: 'mobile',
        scopes: ['chat', 'data:read'],
        type: 'personal',
        ownerEmail: 'ana@example.com',
        expiresAt: '2030-01-01T00:00:00Z',
        ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'],
        rateLimit: { limit: 50, period: 'second' },
        alerts: { highUsage: { threshold: 100, period: 'hourly' } },
      },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body.key).toMatch(/^sk_live_/);
    expect(body).toMatchObject({
      name: 'mobile',
      type: 'personal',
      prefix: body.key.slice(0, 12),
      rateLimit: { limit: 50, period: 'second' },
    });
    const listed = (await v.app.inject({ url: '/api/api-keys', headers: admin() })).json();
    const item = listed.keys.find((k: { id: string }) => k.id === body.id);
    expect(item).toMatchObject({ name: 'mobile', lastUsedAt: null, revokedAt: null, rotationDueAt: null });
    for (const shown of [
      item,
      (await v.app.inject({ url: `/api/api-keys/${body.id}`, headers: admin() })).json(),
    ]) {
      expect(shown).not.toHaveProperty('hash');
      expect(shown).not.toHaveProperty('key');
      expect(JSON.stringify(shown)).not.toContain(body.key);
    }
    const [record] = await auditOf(body.id);
    expect(record).toMatchObject({ action: 'key.create', before: null, after: { name: 'mobile' } });
    expect(JSON.stringify(record)).not.toContain(body.key);
  });

  it('PATCH changes scopes and the change is enforced at once; the audit keeps before and after', async () => {
    const { key, secret } = await v.makeKey({ scopes: ['chat'] });
    expect((await authWith(secret, 'data:write')).statusCode).toBe(403);
    const patched = await v.app.inject({
      method: 'PATCH',
      url: `/api/api-keys/${key.id}`,
      headers: admin(),
      payload: { scopes: ['chat', 'data:write'], name: 'renamed', rateLimit: null },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      name: 'renamed',
      scopes: ['chat', 'data:write'],
      rateLimit: null,
    });
    expect((await authWith(secret, 'data:write')).statusCode).toBe(200);
    const [, update] = await auditOf(key.id);
    expect(update).toMatchObject({
      action: 'key.update',
      before: { scopes: ['chat'] },
      after: { scopes: ['chat', 'data:write'], name: 'renamed' },
    });
  });

  it.each([
    [{}, /nothing to change/],
    [{ scopes: ['root'] }, /^scopes\.0: /],
    [{ hash: 'x' }, /^body: /],
    [{ rateLimit: { limit: -1, period: 'minute' } }, /^rateLimit\.limit: /],
  ])('PATCH %j → 400 naming the field', async (payload, message) => {
    const { key } = await v.makeKey({ scopes: ['chat'] });
    const res = await v.app.inject({
      method: 'PATCH',
      url: `/api/api-keys/${key.id}`,
      headers: admin(),
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
    expect(res.json().error.message).toMatch(message);
  });

  it('DELETE revokes: the client sees invalid_api_key, the event says REVOKED', async () => {
    const { key, secret } = await v.makeKey({ scopes: ['chat'] });
    expect((await authWith(secret)).statusCode).toBe(200); // cached now
    const revoked = await v.app.inject({
      method: 'DELETE',
      url: `/api/api-keys/${key.id}`,
      headers: admin(),
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).toEqual(expect.any(String));
    const res = await authWith(secret);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      error: { code: 'invalid_api_key', message: 'The API key provided is invalid' },
      status: 401,
    });
    const events = await v.readEvents([key.id], (e) => e.length >= 2);
    expect(events.map((e) => e.code)).toEqual(['VALID', 'REVOKED']);
    expect((await auditOf(key.id)).map((a) => a.action)).toEqual(['key.create', 'key.revoke']);
  });

  it('rotate gives a new key with the same settings; the old one works until the grace period ends', async () => {
    const { key, secret } = await v.makeKey({
      scopes: ['chat', 'agents:read'],
      rateLimit: { limit: 7, period: 'minute' },
    });
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/api-keys/${key.id}/rotate`,
      headers: admin(),
      payload: { gracePeriod: '1h' },
    });
    expect(res.statusCode).toBe(201);
    const next = res.json();
    expect(next.key).toMatch(/^sk_live_/);
    expect(next).toMatchObject({
      scopes: ['chat', 'agents:read'],
      rateLimit: { limit: 7, period: 'minute' },
      rotatedFromId: key.id,
    });
    expect((await authWith(next.key)).statusCode).toBe(200);
    expect((await authWith(secret)).statusCode).toBe(200); // still within its grace period
    const old = (await v.app.inject({ url: `/api/api-keys/${key.id}`, headers: admin() })).json();
    const graceEnds = Date.parse(old.expiresAt) - Date.parse(old.rotatedAt);
    expect(graceEnds).toBe(3_600_000);

    const noGrace = await v.makeKey({ scopes: ['chat'] });
    await v.app.inject({
      method: 'POST',
      url: `/api/api-keys/${noGrace.key.id}/rotate`,
      headers: admin(),
      payload: { gracePeriod: '0s' },
    });
    const expired = await authWith(noGrace.secret);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('expired_api_key');

    const again = await v.app.inject({
      method: 'POST',
      url: `/api/api-keys/${key.id}/rotate`,
      headers: admin(),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({
      error: { code: 'conflict', message: 'this key was already rotated; rotate its successor' },
      status: 409,
    });
    const bad = await v.app.inject({
      method: 'POST',
      url: `/api/api-keys/${next.id}/rotate`,
      headers: admin(),
      payload: { gracePeriod: 'soon' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^gracePeriod: must be a duration/);
  });
});
