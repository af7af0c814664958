import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('admin_rotated');
});
afterAll(async () => v?.close());

describe('a rotated-out admin key', () => {
  it('still verifies for its clients through the grace period, but can no longer manage keys', async () => {
    const old = await v.makeKey({ scopes: ['admin'] });
    const rotated = await v.app.inject({
      method: 'POST',
      url: `/api/api-keys/${old.key.id}/rotate`,
      headers: bearer(v.adminSecret),
      payload: { gracePeriod: '1h' },
    });
    expect(rotated.statusCode).toBe(201);

    expect(
      (await v.app.inject({ url: '/v1/auth?scope=admin', headers: bearer(old.secret) })).statusCode,
    ).toBe(200);
    const mint = await v.app.inject({
      method: 'POST',
      url: '/api/api-keys',
      headers: bearer(old.secret),
      payload: { name: 'backdoor', scopes: ['admin'] },
    });
    expect(mint.statusCode).toBe(403);
    expect(mint.json()).toEqual({
      error: {
        code: 'key_rotated',
        message: 'This API key was rotated and can no longer manage keys; use its successor',
      },
      status: 403,
    });
    const successor = rotated.json().key as string;
    expect((await v.app.inject({ url: '/api/api-keys', headers: bearer(successor) })).statusCode).toBe(200);
  });
});
