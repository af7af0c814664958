import { randomUUID } from 'node:crypto';
import { ensureOrg } from '@keywatch/db';
import { DAY_MS } from '@keywatch/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('alerts_preview_404');
});
afterAll(async () => v?.close());

const notFound = { error: { code: 'not_found', message: 'API key not found' }, status: 404 };

const preview = (keyId: string) =>
  v.app.inject({
    method: 'POST',
    url: '/api/alerts/preview',
    headers: bearer(v.adminSecret),
    payload: {
      alerts: { highUsage: { threshold: 1, period: 'hourly' } },
      from: new Date(Date.now() - 7 * DAY_MS).toISOString(),
      to: new Date().toISOString(),
      keyId,
    },
  });

describe('404: POST /api/alerts/preview previews only the caller org’s keys', () => {
  it('a keyId of another org → 404, as the key routes answer it', async () => {
    const other = await ensureOrg(v.ctx.database.db, 'preview-404-other-org');
    const { key } = await v.makeKey({ scopes: ['chat'] }, other.id);
    const res = await preview(key.id);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual(notFound);
  });

  it('a keyId no key has → 404', async () => {
    expect((await preview(randomUUID())).json()).toEqual(notFound);
  });

  it('a key of the caller’s org, revoked ones included (their history stays), is previewed', async () => {
    const { key } = await v.makeKey({ scopes: ['chat'] });
    expect((await preview(key.id)).statusCode).toBe(200);
    const revoked = await v.app.inject({
      method: 'DELETE',
      url: `/api/api-keys/${key.id}`,
      headers: bearer(v.adminSecret),
    });
    expect(revoked.statusCode).toBe(200);
    expect((await preview(key.id)).statusCode).toBe(200);
  });
});
