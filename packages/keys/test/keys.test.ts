import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  DEFAULT_RATE_LIMIT,
  describeIssues,
  displayPrefix,
  FAILURE_CODES,
  generateSecret,
  grants,
  hashSecret,
  isScope,
  keyPatchSchema,
  looksLikeSecret,
  missingScope,
  newKeySchema,
  parseAuthorization,
  randomBase62,
  rateLimitSchema,
  requiredScopes,
  rotateSchema,
  SCOPES,
  VERIFY_CODES,
} from '../src/index.ts';

const problemsOf = (schema: z.ZodType, body: unknown) => {
  const parsed = schema.safeParse(body);
  return parsed.success ? [] : describeIssues(parsed.error);
};

describe('secrets', () => {
  it('look like sk_live_ plus 32 base62 characters and never repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const s = generateSecret();
      expect(s).toMatch(/^sk_live_[0-9A-Za-z]{32}$/);
      seen.add(s);
    }
    expect(seen.size).toBe(2000);
  });

  it('use every base62 character (no modulo bias cutting some out)', () => {
    const randomParts = Array.from({ length: 300 }, () => generateSecret().slice('sk_live_'.length));
    expect(new Set(randomParts.join('')).size).toBe(62);
  });

  it('hash with SHA-256 hex, stable and distinct', () => {
    expect(hashSecret('sk_live_abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret('sk_live_abc')).not.toBe(hashSecret('sk_live_abd'));
    // Known vector: sha256("abc")
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('show a display prefix of sk_live_ and four characters', () => {
    expect(displayPrefix('sk_live_ABCDefgh1234')).toBe('sk_live_ABCD');
  });

  it('are told apart from other text by their prefix and at least one character after it', () => {
    expect(looksLikeSecret(generateSecret())).toBe(true);
    expect(looksLikeSecret('sk_live_x')).toBe(true);
    expect(looksLikeSecret('sk_live_')).toBe(false);
    expect(looksLikeSecret('sk_test_abcd')).toBe(false);
    expect(looksLikeSecret('x_sk_live_abcd')).toBe(false);
    expect(looksLikeSecret('')).toBe(false);
  });

  it.each([0, 1, 2, 7, 32, 100])('of %i random base62 characters are that long', (length) => {
    expect(randomBase62(length)).toMatch(new RegExp(`^[0-9A-Za-z]{${length}}$`));
  });
});

describe('verification codes', () => {
  it('are every code but VALID, as failures', () => {
    expect(FAILURE_CODES).not.toContain('VALID');
    expect(['VALID', ...FAILURE_CODES]).toEqual([...VERIFY_CODES]);
  });
});

describe('scopes', () => {
  it.each([
    [['chat'], 'chat', true],
    [['chat'], 'agents:write', false],
    [['admin'], 'agents:delete', true],
    [['data:read', 'data:write'], 'data:write', true],
    [[], 'chat', false],
  ])('%j grants %s: %s', (held, required, expected) => {
    expect(grants(held, required)).toBe(expected);
  });

  it('knows the catalogue', () => {
    expect(isScope('analytics:read')).toBe(true);
    expect(isScope('root')).toBe(false);
  });
});

describe('parseAuthorization', () => {
  it.each([
    [undefined, { ok: false, code: 'MISSING_AUTH_HEADER' }],
    ['', { ok: false, code: 'MISSING_AUTH_HEADER' }],
    ['Bearer sk_live_x', { ok: true, secret: 'sk_live_x' }],
    ['bearer sk_live_x', { ok: true, secret: 'sk_live_x' }],
    ['Bearer  sk_live_x', { ok: true, secret: 'sk_live_x' }],
    ['Bearer', { ok: false, code: 'MALFORMED_AUTH_HEADER' }],
    ['Bearer ', { ok: false, code: 'MALFORMED_AUTH_HEADER' }],
    ['Basic dXNlcjpwYXNz', { ok: false, code: 'MALFORMED_AUTH_HEADER' }],
    ['sk_live_x', { ok: false, code: 'MALFORMED_AUTH_HEADER' }],
    ['Bearer a b', { ok: false, code: 'MALFORMED_AUTH_HEADER' }],
    [['Bearer a', 'Bearer b'], { ok: false, code: 'MALFORMED_AUTH_HEADER' }],
    [['Bearer sk_live_x'], { ok: false, code: 'MALFORMED_AUTH_HEADER' }],
    ['Basic Bearer sk_live_x', { ok: false, code: 'MALFORMED_AUTH_HEADER' }],
    ['XBearer sk_live_x', { ok: false, code: 'MALFORMED_AUTH_HEADER' }],
    ['Bearer sk_live_x  ', { ok: true, secret: 'sk_live_x' }],
  ])('%j → %j', (header, expected) => {
    expect(parseAuthorization(header)).toEqual(expected);
  });
});

describe('newKeySchema', () => {
  const ok = { name: 'ci', scopes: ['chat'] };
  const problems = (body: unknown) => {
    const parsed = newKeySchema.safeParse(body);
    return parsed.success ? [] : describeIssues(parsed.error);
  };

  it('takes an expiry with any UTC offset, or a date', () => {
    expect(newKeySchema.parse({ ...ok, expiresAt: '2027-01-01T02:00:00+02:00' }).expiresAt).toEqual(
      new Date('2027-01-01T00:00:00Z'),
    );
    expect(newKeySchema.parse({ ...ok, expiresAt: '2027-01-01T00:00:00Z' }).expiresAt).toEqual(
      new Date('2027-01-01T00:00:00Z'),
    );
  });

  it('takes up to every scope once', () => {
    expect(newKeySchema.parse({ ...ok, scopes: [...SCOPES] }).scopes).toEqual([...SCOPES]);
    expect(problems({ ...ok, scopes: [...SCOPES, 'chat'] }).join('\n')).toMatch(/^scopes: /);
  });

  it('reports a personal key without an owner as one issue of the owner field', () => {
    const parsed = newKeySchema.safeParse({ ...ok, type: 'personal' });
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({
        code: 'custom',
        path: ['ownerEmail'],
        message: 'is required for a personal key',
      }),
    ]);
  });

  it('accepts a minimal key and defaults its type', () => {
    expect(newKeySchema.parse(ok)).toMatchObject({ name: 'ci', scopes: ['chat'], type: 'organization' });
  });

  it('accepts every field of the contract', () => {
    const spec = newKeySchema.parse({
      ...ok,
      type: 'personal',
      ownerEmail: 'ana@example.com',
      expiresAt: '2027-01-01',
      ipAllowlist: ['10.0.0.0/8', '2001:db8::/32', '203.0.113.7'],
      rateLimit: { limit: 5, period: 'second' },
      alerts: {
        unusualActivity: { enabled: true, learningDays: 0 },
        highUsage: { threshold: 20, period: 'daily' },
      },
    });
    expect(spec.expiresAt).toEqual(new Date('2027-01-01T00:00:00Z'));
  });

  it.each([
    [{ scopes: ['chat'] }, /^name: /],
    [{ ...ok, name: '  ' }, /^name: /],
    [{ ...ok, scopes: [] }, /^scopes: /],
    [{ ...ok, scopes: ['root'] }, /^scopes\.0: /],
    [{ ...ok, type: 'personal' }, /^ownerEmail: is required for a personal key/],
    [{ ...ok, name: 'ci\nBcc: x' }, /^name: must not contain control characters or line breaks/],
    [{ ...ok, name: 'ci\u2028x' }, /^name: must not contain control characters or line breaks/],
    [{ ...ok, type: 'robot' }, /^type: /],
    [{ ...ok, expiresAt: 'soon' }, /^expiresAt: /],
    [{ ...ok, ipAllowlist: ['10.0.0.0/33'] }, /^ipAllowlist\.0: must be an IPv4 or IPv6/],
    [{ ...ok, rateLimit: { limit: 0, period: 'minute' } }, /^rateLimit\.limit: /],
    [{ ...ok, rateLimit: { limit: 5, period: 'week' } }, /^rateLimit\.period: /],
    [{ ...ok, alerts: { highUsage: { threshold: 20, period: 'weekly' } } }, /^alerts\.highUsage\.period: /],
    [{ ...ok, alerts: { loud: true } }, /^alerts: /],
    [{ ...ok, colour: 'red' }, /^body: /],
    ['a string', /^body: /],
  ])('names the bad field of %j', (body, expected) => {
    expect(problems(body).join('\n')).toMatch(expected);
  });
});

describe('requiredScopes: a client can add a requirement, never remove or replace one', () => {
  it.each([
    ['header only', ['agents:write'], [undefined], ['agents:write']],
    ['query only', [undefined], ['agents:write'], ['agents:write']],
    ['both agreeing', ['chat'], ['chat'], ['chat']],
    ['both differing', ['chat'], ['agents:write'], ['chat', 'agents:write']],
    ['empty header', [''], ['admin'], ['admin']],
    ['blank header', ['  '], ['admin'], ['admin']],
    ['empty query', ['chat'], [''], ['chat']],
    ['repeated headers', [['chat', 'data:read']], ['admin'], ['chat', 'data:read', 'admin']],
    ['comma lists', ['chat, data:read'], ['data:write,,admin'], ['chat', 'data:read', 'data:write', 'admin']],
    ['repeated query values', [undefined], [['chat', 'admin']], ['chat', 'admin']],
    ['none at all', [undefined], [undefined], []],
  ] as const)('%s', (_, [header], [query], expected) => {
    expect(requiredScopes(header, query)).toEqual(expected);
  });

  it('cuts an absurdly long scope, which then fails like any unknown one', () => {
    const [scope] = requiredScopes('x'.repeat(5000));
    expect(scope).toHaveLength(100);
    expect(missingScope(['chat'], [scope!])).toBe(scope);
  });
});

describe('missingScope', () => {
  it.each([
    [['chat'], ['chat'], undefined],
    [['chat'], ['chat', 'admin'], 'admin'],
    [['chat'], ['agents:write', 'chat'], 'agents:write'],
    [['admin'], ['chat', 'data:write'], undefined],
    [['chat'], [], undefined],
  ])('%j for %j: %s', (held, required, expected) => {
    expect(missingScope(held, required)).toBe(expected);
  });
});

describe('rate limits', () => {
  it('default to a valid setting', () => {
    expect(rateLimitSchema.parse(DEFAULT_RATE_LIMIT)).toEqual(DEFAULT_RATE_LIMIT);
  });
});

describe('keyPatchSchema', () => {
  const problems = (body: unknown) => problemsOf(keyPatchSchema, body);

  it.each([
    [{ name: 'renamed' }],
    [{ scopes: ['chat'] }],
    [{ scopes: ['chat', 'data:read'] }],
    [{ scopes: [...SCOPES] }],
    [{ ipAllowlist: ['10.0.0.0/8'] }],
    [{ ipAllowlist: Array.from({ length: 1000 }, (_, i) => `10.0.${i >> 8}.${i & 255}`) }],
    [{ ipAllowlist: null, rateLimit: null, alerts: null }],
    [{ rateLimit: { limit: 10, period: 'hour' } }],
  ])('accepts %j', (patch) => {
    expect(problems(patch)).toEqual([]);
  });

  it.each([
    [{}, /^body: nothing to change: give one of name, scopes, ipAllowlist, rateLimit, alerts$/],
    [{ name: null }, /^name: /],
    [{ scopes: [] }, /^scopes: /],
    [{ scopes: [...SCOPES, 'chat'] }, /^scopes: /],
    [{ ipAllowlist: Array.from({ length: 1001 }, () => '10.0.0.1') }, /^ipAllowlist: /],
    [{ colour: 'red' }, /^body: /],
  ])('refuses %j', (patch, expected) => {
    expect(problems(patch).join('\n')).toMatch(expected);
  });
});

describe('rotateSchema', () => {
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  const DAY = 24 * HOUR;

  it.each([
    ['0s', 0],
    ['45s', 45_000],
    ['30m', 30 * MINUTE],
    ['24h', DAY],
    ['720h', 30 * DAY],
    ['7d', 7 * DAY],
    ['30d', 30 * DAY],
    ['000001s', 1000],
  ])('reads a grace period of %s', (gracePeriod, ms) => {
    expect(rotateSchema.parse({ gracePeriod })).toEqual({ gracePeriod: ms });
  });

  it('gives the old key a day by default', () => {
    expect(rotateSchema.parse({})).toEqual({ gracePeriod: DAY });
  });

  it.each([
    ['31d', 'must be at most 30d'],
    ['721h', 'must be at most 30d'],
    ['2592001s', 'must be a duration like 30m, 24h or 7d'],
    ['30', 'must be a duration like 30m, 24h or 7d'],
    ['30w', 'must be a duration like 30m, 24h or 7d'],
    ['m', 'must be a duration like 30m, 24h or 7d'],
    ['x30m', 'must be a duration like 30m, 24h or 7d'],
    ['30mx', 'must be a duration like 30m, 24h or 7d'],
    ['-5m', 'must be a duration like 30m, 24h or 7d'],
    ['1.5h', 'must be a duration like 30m, 24h or 7d'],
  ])('refuses %s: %s', (gracePeriod, message) => {
    expect(problemsOf(rotateSchema, { gracePeriod })).toEqual([`gracePeriod: ${message}`]);
  });

  it('refuses anything but a grace period', () => {
    expect(problemsOf(rotateSchema, { gracePeriod: '1h', force: true }).join('\n')).toMatch(/^body: /);
  });
});
