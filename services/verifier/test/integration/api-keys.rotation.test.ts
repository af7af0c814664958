import { apiKeys } from '@keywatch/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

const DAY = 86_400_000;
let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('api_keys_rotation');
});
afterAll(async () => v?.close());

/** A key created `ageDays` ago (before any verification has cached it). */
async function keyAged(ageDays: number, spec: Record<string, unknown> = {}) {
  const issued = await v.makeKey({ scopes: ['chat'], ...spec });
  const createdAt = new Date(Date.now() - ageDays * DAY);
  await v.ctx.database.db.update(apiKeys).set({ createdAt }).where(eq(apiKeys.id, issued.key.id));
  return { ...issued, createdAt };
}

const notices = (headers: Record<string, unknown>) => ({
  rotationDue: headers['x-key-rotation-due'],
  expires: headers['x-key-expires'],
});

describe('rotation and expiry notices on verification', () => {
  it('tells of a key past its rotation date (91 days old), on /v1/auth and /v1/verify', async () => {
    const { secret, createdAt } = await keyAged(91);
    const due = new Date(createdAt.getTime() + 90 * DAY).toISOString();
    const auth = await v.app.inject({ url: '/v1/auth?scope=chat', headers: bearer(secret) });
    expect(auth.statusCode).toBe(200);
    expect(notices(auth.headers)).toEqual({ rotationDue: due, expires: undefined });
    const verify = await v.app.inject({ method: 'POST', url: '/v1/verify', payload: { key: secret } });
    expect(verify.json().valid).toBe(true);
    expect(notices(verify.headers)).toEqual({ rotationDue: due, expires: undefined });
  });

  it('tells of a key expiring within 14 days, and says nothing of a young key far from expiry', async () => {
    const expiresAt = new Date(Date.now() + 10 * DAY);
    const soon = await keyAged(5, { expiresAt: expiresAt.toISOString() });
    const res = await v.app.inject({ url: '/v1/auth?scope=chat', headers: bearer(soon.secret) });
    expect(notices(res.headers)).toEqual({ rotationDue: undefined, expires: expiresAt.toISOString() });

    const young = await keyAged(89, { expiresAt: new Date(Date.now() + 15 * DAY).toISOString() });
    const quiet = await v.app.inject({ url: '/v1/auth?scope=chat', headers: bearer(young.secret) });
    expect(quiet.statusCode).toBe(200);
    expect(notices(quiet.headers)).toEqual({ rotationDue: undefined, expires: undefined });
  });
});

describe('GET /api/api-keys?rotationDue=', () => {
  it('lists the live keys past their rotation date, oldest first; false lists the rest', async () => {
    const old = await keyAged(200);
    const older = await keyAged(300);
    const justDue = await keyAged(90.5);
    const young = await keyAged(30);
    const revoked = await keyAged(400);
    const expired = await keyAged(400, { expiresAt: new Date(Date.now() - DAY).toISOString() });
    await v.ctx.database.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeys.id, revoked.key.id));

    const list = async (query: string) => {
      const res = await v.app.inject({ url: `/api/api-keys${query}`, headers: bearer(v.adminSecret) });
      expect(res.statusCode).toBe(200);
      return (res.json().keys as { id: string }[]).map((k) => k.id);
    };
    const mine = [old, older, justDue, young, revoked, expired].map((k) => k.key.id);
    const due = await list('?rotationDue=true');
    expect(due.filter((id) => mine.includes(id))).toEqual([older.key.id, old.key.id, justDue.key.id]);
    const rest = await list('?rotationDue=false');
    expect(rest).toEqual(expect.arrayContaining([young.key.id, revoked.key.id, expired.key.id]));
    expect(rest).not.toContain(old.key.id);
    expect((await list('')).length).toBe(rest.length + due.length);
  });

  it('answers 400 naming the field for anything but true or false', async () => {
    const res = await v.app.inject({ url: '/api/api-keys?rotationDue=yes', headers: bearer(v.adminSecret) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: { code: 'invalid_request', message: expect.stringContaining('rotationDue') },
    });
  });
});
