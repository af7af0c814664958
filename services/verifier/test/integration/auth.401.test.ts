import { fakeSecret } from '@keywatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('auth_401');
});
afterAll(async () => v?.close());

const body = (code: string, message: string) => ({ error: { code, message }, status: 401 });

describe('401: the contract bodies', () => {
  it('no Authorization header → missing_auth_header', async () => {
    const res = await v.app.inject({ url: '/v1/auth' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(body('missing_auth_header', 'Authorization header is required'));
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'sk_live_abc', 'Bearer a b'])(
    '"%s" → malformed_auth_header',
    async (header) => {
      const res = await v.app.inject({ url: '/v1/auth', headers: { authorization: header } });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual(
        body('malformed_auth_header', "Authorization header must be 'Bearer <key>'"),
      );
    },
  );

  it('unknown key → invalid_api_key', async () => {
    const res = await v.app.inject({
      url: '/v1/auth',
      headers: bearer(fakeSecret('doesnotexist')),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(body('invalid_api_key', 'The API key provided is invalid'));
  });

  it('expired key → expired_api_key with its date', async () => {
    const { secret } = await v.makeKey({ scopes: ['chat'], expiresAt: '2025-03-04T10:00:00Z' });
    const res = await v.app.inject({ url: '/v1/auth', headers: bearer(secret) });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(body('expired_api_key', 'API key expired on 2025-03-04'));
  });

  it('POST /v1/verify answers the codes as data, with 200', async () => {
    const { secret, key } = await v.makeKey({ scopes: ['chat'], expiresAt: '2025-03-04T10:00:00Z' });
    const expired = await v.app.inject({ method: 'POST', url: '/v1/verify', payload: { key: secret } });
    expect(expired.statusCode).toBe(200);
    expect(expired.json()).toMatchObject({ valid: false, code: 'EXPIRED', keyId: key.id });
    const unknown = await v.app.inject({
      method: 'POST',
      url: '/v1/verify',
      payload: { key: 'sk_live_nope' },
    });
    expect(unknown.json()).toMatchObject({ valid: false, code: 'INVALID_API_KEY', keyId: null });
  });

  it('emits the failure codes in events, with no secret', async () => {
    const { secret, key } = await v.makeKey({ scopes: ['chat'], expiresAt: '2025-03-04T10:00:00Z' });
    await v.app.inject({ url: '/v1/auth', headers: bearer(secret) });
    const events = await v.readEvents([key.id], (e) => e.length >= 1);
    expect(events).toMatchObject([{ code: 'EXPIRED', outcome: 'failure', keyId: key.id }]);
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('never puts a presented secret into an event: unknown keys, query strings, paths', async () => {
    const presented = fakeSecret('UnknownUnknown');
    const leaked = fakeSecret('LeakedInTheQuery');
    await v.app.inject({
      url: '/v1/auth',
      headers: {
        ...bearer(presented),
        'x-original-uri': `/agents?api_key=${leaked}`,
        'user-agent': `cli ${leaked}`,
      },
    });
    const [event] = await v.readEvents(
      (e) => e.keyPrefix === 'sk_live_Unkn',
      (e) => e.length >= 1,
    );
    expect(event).toMatchObject({
      code: 'INVALID_API_KEY',
      keyId: null,
      keyPrefix: 'sk_live_Unkn',
      path: '/agents',
    });
    const text = JSON.stringify(event);
    expect(text).not.toContain(presented);
    expect(text).not.toContain(leaked);
    expect(text).not.toContain('UnknownUnknown');
  });
});
