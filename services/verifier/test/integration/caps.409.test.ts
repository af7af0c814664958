import { apiKeys } from '@keywatch/db';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('caps_409');
});
afterAll(async () => v?.close());

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  v.app.inject({ method, url, headers: bearer(v.adminSecret), ...(payload ? { payload } : {}) });
const newKey = () => call('POST', '/api/api-keys', { name: 'k', scopes: ['chat'] });
const newSilence = (reason: string) =>
  call('POST', '/api/silences', {
    rule: 'failures',
    until: new Date(Date.now() + 3_600_000).toISOString(),
    reason,
  });
const statuses = (responses: { statusCode: number }[]) => responses.map((r) => r.statusCode).sort();

describe('409: an org at its bound', () => {
  it('refuses a key past ORG_MAX_KEYS live keys; revoked, expired and rotated-out keys past their grace do not count', async () => {
    // The routes read the config at each request: lower the bound for this org's tests.
    v.config.ORG_MAX_KEYS = 3; // the admin key and two more
    const [a, b] = [await newKey(), await newKey()];
    expect(statuses([a, b])).toEqual([201, 201]);

    const refused = await newKey();
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({
      error: {
        code: 'conflict',
        message: 'org has 3 live keys, the most allowed (ORG_MAX_KEYS); revoke unused keys first',
      },
      status: 409,
    });

    // A rotation with a grace period leaves two working keys until it ends: refused at the bound.
    const graced = await call('POST', `/api/api-keys/${a.json().id}/rotate`, { gracePeriod: '1h' });
    expect(graced.statusCode).toBe(409);
    expect(graced.json().error).toEqual({
      code: 'conflict',
      message:
        'org has 3 live keys, the most allowed (ORG_MAX_KEYS); rotate with gracePeriod 0s, or revoke unused keys first',
    });
    // Without one it replaces the key: allowed at the bound, and the count does not move.
    const swapped = await call('POST', `/api/api-keys/${a.json().id}/rotate`, { gracePeriod: '0s' });
    expect(swapped.statusCode).toBe(201);
    expect((await newKey()).statusCode).toBe(409);

    expect((await call('DELETE', `/api/api-keys/${b.json().id}`)).statusCode).toBe(200);
    // A rotated-out key counts while its grace period lets it verify…
    const successor = swapped.json().id as string;
    expect((await call('POST', `/api/api-keys/${successor}/rotate`, { gracePeriod: '1h' })).statusCode).toBe(
      201,
    );
    expect((await newKey()).statusCode).toBe(409);
    // …and no longer once it has ended; nor does an expired key.
    const expire = (id: string) =>
      v.ctx.database.db
        .update(apiKeys)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(apiKeys.id, id));
    await expire(successor);
    const c = await newKey();
    expect(c.statusCode).toBe(201);
    expect((await newKey()).statusCode).toBe(409);
    await expire(c.json().id);
    expect((await newKey()).statusCode).toBe(201);
  });

  it('lets exactly one of concurrent creations take the last place', async () => {
    const live = await v.ctx.database.db.$count(
      apiKeys,
      and(
        eq(apiKeys.orgId, v.org.id),
        sql`revoked_at is null and (expires_at is null or expires_at > now())`,
      ),
    );
    v.config.ORG_MAX_KEYS = live + 1;
    expect(statuses(await Promise.all(Array.from({ length: 5 }, newKey)))).toEqual([201, 409, 409, 409, 409]);

    const held = (await call('GET', '/api/silences')).json().silences.length;
    v.config.ORG_MAX_SILENCES = held + 1;
    expect(statuses(await Promise.all(Array.from({ length: 5 }, (_, i) => newSilence(`race ${i}`))))).toEqual(
      [201, 409, 409, 409, 409],
    );
  });

  it('refuses a silence past ORG_MAX_SILENCES in force; a lifted one does not count', async () => {
    const held = (await call('GET', '/api/silences')).json().silences.length;
    v.config.ORG_MAX_SILENCES = held + 2;
    const first = await newSilence('one');
    expect((await newSilence('two')).statusCode).toBe(201);
    const refused = await newSilence('three');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toEqual({
      code: 'conflict',
      message: `org has ${held + 2} silences in force, the most allowed (ORG_MAX_SILENCES); lift one first`,
    });
    expect((await call('DELETE', `/api/silences/${first.json().id}`)).statusCode).toBe(200);
    expect((await newSilence('three again')).statusCode).toBe(201);
  });
});
