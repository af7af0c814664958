import { isIP } from 'node:net';
import { addressRefusal, networkList } from '@keywatch/notify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

// Generated input, seeded so a failure can be replayed: whatever arrives, the verifier answers
// with a contract status and body, and keeps running.
const SEED = 20261122;
let v: Verifier;
let goodSecret: string;
let adminSecret: string;

beforeAll(async () => {
  v = await startVerifier('fuzz');
  const unlimited = { rateLimit: { limit: 1_000_000, period: 'minute' } };
  goodSecret = (await v.makeKey({ scopes: ['chat'], ...unlimited })).secret;
  adminSecret = (await v.makeKey({ scopes: ['admin'], ...unlimited })).secret;
  // Used once, so the verifier knows them: the fuzzing's guesses then spend only their source's
  // budget of unknown keys, never these keys' answers.
  for (const secret of [goodSecret, adminSecret])
    await v.app.inject({ url: '/v1/auth', headers: bearer(secret) });
});
afterAll(async () => v?.close());

const contractError = (status: number) => ({
  error: { code: expect.any(String), message: expect.any(String) },
  status,
});

// Header values: printable ASCII and Latin-1, which is what HTTP allows to arrive.
const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c === 0x7f ? 0x20 : c)),
  maxLength: 200,
});
const authorization = fc.oneof(
  headerText,
  headerText.map((s) => `Bearer ${s}`),
  headerText.map((s) => `bearer sk_live_${s}`),
  fc.constantFrom('Bearer', 'Bearer ', 'Basic abc', 'sk_live_', ''),
  fc.constant('GOOD'),
);

describe('fuzzing', () => {
  // 429: past UNKNOWN_KEYS_PER_SOURCE_PER_MINUTE distinct unknown keys, a source is turned away unlooked-up.
  it('GET /v1/auth: any Authorization header, any scope → 200/401/403/429 with the contract body', async () => {
    await fc.assert(
      fc.asyncProperty(authorization, fc.option(headerText), async (header, scope) => {
        const value = header === 'GOOD' ? `Bearer ${goodSecret}` : header;
        const res = await v.app.inject({
          url: '/v1/auth',
          headers: {
            ...(value ? { authorization: value } : {}),
            ...(scope ? { 'x-required-scope': scope } : {}),
          },
        });
        expect([200, 401, 403, 429]).toContain(res.statusCode);
        if (res.statusCode !== 200) expect(res.json()).toEqual(contractError(res.statusCode));
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('GET /v1/auth: any claims about the client, from any peer, with any mix of required scopes → a contract answer', async () => {
    const peer = fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant('127.0.0.1'));
    const claims = fc.record(
      {
        'x-forwarded-for': fc.oneof(
          headerText,
          fc.array(fc.oneof(fc.ipV4(), fc.ipV6()), { maxLength: 5 }).map((a) => a.join(', ')),
        ),
        'x-original-method': fc.oneof(headerText, fc.constantFrom('GET', 'delete', 'A'.repeat(5000))),
        'x-original-uri': fc.oneof(
          headerText,
          fc.string({ maxLength: 5000 }).map((p) => `/${encodeURIComponent(p)}`),
        ),
        'x-forwarded-method': headerText,
        'x-forwarded-uri': headerText,
        'x-required-scope': fc.oneof(
          headerText,
          fc.array(fc.constantFrom('chat', 'admin', '', ' , ', 'data:read'), { maxLength: 4 }),
        ),
        'user-agent': fc.string({ maxLength: 3000 }).map((u) => u.replace(/[^\x20-\x7e]/g, '')),
      },
      { requiredKeys: [] },
    );
    const query = fc.option(
      fc.array(fc.constantFrom('chat', 'admin', '', 'chat,data:read'), { maxLength: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(peer, claims, query, async (remoteAddress, headers, scopes) => {
        const qs = scopes ? `?${scopes.map((sc) => `scope=${encodeURIComponent(sc)}`).join('&')}` : '';
        const res = await v.app.inject({
          url: `/v1/auth${qs}`,
          remoteAddress,
          headers: { ...bearer(goodSecret), ...headers },
        });
        // The key holds chat only: it passes exactly when nothing else is required.
        const required = [headers['x-required-scope'], scopes ?? []]
          .flat()
          .flatMap((v) => (v ?? '').split(','))
          .map((sc) => sc.trim())
          .filter(Boolean);
        const expected = required.every((sc) => sc === 'chat') ? 200 : 403;
        expect(res.statusCode).toBe(expected);
        if (expected === 403) expect(res.json()).toEqual(contractError(403));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('GET /v1/auth?scope=…: any Unicode scope, repeated or not → never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { minLength: 1, maxLength: 3 }),
        async (scopes) => {
          const query = scopes.map((sc) => `scope=${encodeURIComponent(sc)}`).join('&');
          const res = await v.app.inject({ url: `/v1/auth?${query}`, headers: bearer(goodSecret) });
          expect([200, 403]).toContain(res.statusCode);
          if (res.statusCode === 403) expect(res.json()).toEqual(contractError(403));
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('POST /v1/verify: any JSON body → 200 verdict or 400 naming what is wrong', async () => {
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          key: fc.oneof(fc.string(), fc.constant('GOOD'), fc.integer()),
          scope: fc.oneof(fc.string(), fc.constantFrom('chat', 'admin', '')),
          ip: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()),
          method: fc.string(),
          path: fc.string({ maxLength: 3000 }),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const sent =
          payload &&
          typeof payload === 'object' &&
          !Array.isArray(payload) &&
          (payload as { key?: unknown }).key === 'GOOD'
            ? { ...payload, key: goodSecret }
            : payload;
        const res = await v.app.inject({
          method: 'POST',
          url: '/v1/verify',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(sent),
        });
        expect([200, 400]).toContain(res.statusCode);
        const json = res.json();
        if (res.statusCode === 200)
          expect(json).toMatchObject({ valid: expect.any(Boolean), code: expect.any(String) });
        else
          expect(json).toEqual({
            error: { code: 'invalid_request', message: expect.stringMatching(/\S/) },
            status: 400,
          });
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('POST /api/api-keys: any body → 201 or 400 invalid_request, never a 5xx', async () => {
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          name: fc.oneof(fc.string(), fc.integer()),
          scopes: fc.oneof(fc.array(fc.constantFrom('chat', 'admin', 'data:read', 'nope')), fc.string()),
          type: fc.constantFrom('organization', 'personal', 'scoped', 'robot'),
          ownerEmail: fc.oneof(fc.emailAddress(), fc.string()),
          expiresAt: fc.oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            fc.string(),
          ),
          ipAllowlist: fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string())),
          rateLimit: fc.record({
            limit: fc.integer(),
            period: fc.constantFrom('second', 'minute', 'hour', 'day'),
          }),
          alerts: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const res = await v.app.inject({
          method: 'POST',
          url: '/api/api-keys',
          headers: { ...bearer(adminSecret), 'content-type': 'application/json' },
          payload: JSON.stringify(payload),
        });
        expect([201, 400]).toContain(res.statusCode);
        if (res.statusCode === 400) expect(res.json()).toEqual(contractError(400));
        else expect(res.json().key).toMatch(/^sk_live_/);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('POST /api/api-keys: no spelling of an internal address is taken as a webhook', async () => {
    const v4 = fc.oneof(
      fc.ipV4(),
      fc.constantFrom('127.0.0.1', '10.1.2.3', '169.254.169.254', '0.0.0.0', '100.64.0.1'),
    );
    const host = fc.oneof(
      v4,
      v4.map((ip) => `[::ffff:${ip}]`),
      v4.map(
        (ip) =>
          `0x${ip
            .split('.')
            .map((o) => Number(o).toString(16).padStart(2, '0'))
            .join('')}`,
      ),
      v4.map((ip) => String(ip.split('.').reduce((n, o) => n * 256 + Number(o), 0))),
      fc.ipV6().map((ip) => `[${ip}]`),
      fc.constantFrom(
        'localhost',
        'LOCALHOST.',
        'api.localhost',
        '[::1]',
        '[::]',
        '[fe80::1]',
        '[fc00::1]',
        '127.1',
      ),
      fc.domain(),
    );
    const url = fc
      .tuple(
        fc.constantFrom('http', 'https'),
        fc.option(fc.constantFrom('u:p@', 'u@')),
        host,
        fc.option(fc.integer({ min: 1, max: 65535 })),
      )
      .map(([scheme, auth, h, port]) => `${scheme}://${auth ?? ''}${h}${port ? `:${port}` : ''}/hook`);
    await fc.assert(
      fc.asyncProperty(url, async (webhook) => {
        const res = await v.app.inject({
          method: 'POST',
          url: '/api/api-keys',
          headers: bearer(adminSecret),
          payload: { name: 'hook', scopes: ['chat'], alerts: { channels: { webhook } } },
        });
        expect([201, 400]).toContain(res.statusCode);
        if (res.statusCode === 400) {
          expect(res.json()).toEqual(contractError(400));
          return;
        }
        // Taken: then its host is a name (checked again on the connection) or a public address.
        const taken = new URL(res.json().alerts.channels.webhook);
        expect(taken.username + taken.password).toBe('');
        const literal = taken.hostname.replace(/^\[|\]$/g, '');
        if (isIP(literal)) expect(addressRefusal(literal, networkList([]))).toBeNull();
        else expect(literal).not.toMatch(/(^|\.)localhost\.?$/i);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('raw bodies that are not JSON → 400 with the contract body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 300 }),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        async (raw, type) => {
          const res = await v.app.inject({
            method: 'POST',
            url: '/v1/verify',
            headers: { 'content-type': type },
            payload: raw,
          });
          expect(res.statusCode).toBeLessThan(500);
          if (res.statusCode !== 200) expect(res.json()).toEqual(contractError(res.statusCode));
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
