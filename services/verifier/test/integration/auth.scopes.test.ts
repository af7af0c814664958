import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
let chatOnly: string;
beforeAll(async () => {
  v = await startVerifier('auth_scopes');
  chatOnly = (await v.makeKey({ scopes: ['chat', 'data:read'] })).secret;
});
afterAll(async () => v?.close());

type Case = [
  name: string,
  header: string | string[] | undefined,
  query: string,
  status: number,
  missing?: string,
];

// The key holds chat and data:read. Every scope named anywhere must be granted.
const cases: Case[] = [
  ['header only, granted', 'chat', '', 200],
  ['header only, not granted', 'agents:write', '', 403, 'agents:write'],
  ['query only, granted', undefined, '?scope=chat', 200],
  ['query only, not granted', undefined, '?scope=admin', 403, 'admin'],
  ['both agreeing', 'chat', '?scope=chat', 200],
  ['both differing: the header cannot replace the query', 'chat', '?scope=agents:write', 403, 'agents:write'],
  ['both differing: the query cannot replace the header', 'agents:write', '?scope=chat', 403, 'agents:write'],
  ['an empty header removes nothing', '', '?scope=admin', 403, 'admin'],
  ['a blank header removes nothing', '   ', '?scope=admin', 403, 'admin'],
  ['an empty query removes nothing', 'admin', '?scope=', 403, 'admin'],
  ['repeated headers: all required', ['chat', 'agents:delete'], '', 403, 'agents:delete'],
  ['repeated headers, all granted', ['chat', 'data:read'], '?scope=chat', 200],
  ['comma list in the header', 'chat, data:write', '', 403, 'data:write'],
  ['comma list in the query', undefined, '?scope=chat,data:read', 200],
  ['comma list in the query, one missing', undefined, '?scope=data:read,agents:read', 403, 'agents:read'],
  ['repeated query values', undefined, '?scope=chat&scope=admin', 403, 'admin'],
  ['nothing required', undefined, '', 200],
];

describe('GET /v1/auth: the required scopes', () => {
  it.each(cases)('%s', async (_, header, query, status, missing) => {
    const headers: Record<string, string | string[]> = bearer(chatOnly);
    if (header !== undefined) headers['x-required-scope'] = header;
    const res = await v.app.inject({ url: `/v1/auth${query}`, headers });
    expect(res.statusCode).toBe(status);
    if (missing) {
      expect(res.json()).toEqual({
        error: { code: 'insufficient_scope', message: `API key lacks required scope: ${missing}` },
        status: 403,
      });
    }
  });

  it('an admin key passes every requirement', async () => {
    const { secret } = await v.makeKey({ scopes: ['admin'] });
    const res = await v.app.inject({
      url: '/v1/auth?scope=agents:write,data:write',
      headers: { ...bearer(secret), 'x-required-scope': 'chat' },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('POST /v1/verify: the required scopes', () => {
  it.each([
    ['chat', 'VALID'],
    ['chat,data:read', 'VALID'],
    ['chat,admin', 'INSUFFICIENT_SCOPE'],
  ])('scope %s → %s', async (scope, code) => {
    const res = await v.app.inject({ method: 'POST', url: '/v1/verify', payload: { key: chatOnly, scope } });
    expect(res.statusCode).toBe(200);
    expect(res.json().code).toBe(code);
  });
});
