import { ensureOrg } from '@keywatch/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
let keyId: string;
beforeAll(async () => {
  v = await startVerifier('silences');
  keyId = (await v.makeKey({ scopes: ['chat'] })).key.id;
});
afterAll(async () => v?.close());

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  v.app.inject({ method, url, headers: bearer(v.adminSecret), ...(payload ? { payload } : {}) });

describe('/api/silences', () => {
  it('201: creates a silence, lists it while in force, lifts it with DELETE', async () => {
    const until = inHours(2);
    const created = await call('POST', '/api/silences', {
      keyId,
      rule: 'highUsage',
      until,
      reason: 'load test',
    });
    expect(created.statusCode).toBe(201);
    const silence = created.json();
    expect(silence).toMatchObject({ keyId, rule: 'highUsage', until, reason: 'load test' });
    expect((await call('GET', '/api/silences')).json().silences.map((s: { id: string }) => s.id)).toContain(
      silence.id,
    );

    const lifted = await call('DELETE', `/api/silences/${silence.id}`);
    expect(lifted.statusCode).toBe(200);
    expect(
      (await call('GET', '/api/silences')).json().silences.map((s: { id: string }) => s.id),
    ).not.toContain(silence.id);
    expect((await call('DELETE', `/api/silences/${silence.id}`)).statusCode).toBe(404);
  });

  it('201: a rule alone silences it for every key of the org', async () => {
    const res = await call('POST', '/api/silences', {
      rule: 'unusualActivity',
      until: inHours(1),
      reason: 'travel week',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ keyId: null, rule: 'unusualActivity' });
  });

  it.each([
    [{ until: inHours(1), reason: 'x' }, 'keyId'],
    [{ rule: 'highUsage', until: inHours(-1), reason: 'x' }, 'until'],
    [{ rule: 'highUsage', until: inHours(24 * 91), reason: 'x' }, 'until'],
    [{ rule: 'highUsage', until: 'tomorrow', reason: 'x' }, 'until'],
    [{ rule: 'everything', until: inHours(1), reason: 'x' }, 'rule'],
    [{ rule: 'highUsage', until: inHours(1), reason: ' ' }, 'reason'],
    [{ rule: 'highUsage', until: inHours(1) }, 'reason'],
  ])('400: %j names %s', async (payload, field) => {
    const res = await call('POST', '/api/silences', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
    expect(res.json().error.message).toContain(field);
  });

  it("404: another org's key cannot be silenced, nor its silences lifted", async () => {
    const other = await ensureOrg(v.ctx.database.db, 'silences-other-org');
    const foreign = (await v.makeKey({ scopes: ['chat'] }, other.id)).key.id;
    const res = await call('POST', '/api/silences', { keyId: foreign, until: inHours(1), reason: 'x' });
    expect(res.statusCode).toBe(404);
    expect((await call('DELETE', '/api/silences/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});
