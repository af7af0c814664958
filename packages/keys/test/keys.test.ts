import { describe, expect, it } from 'vitest';
import {
  describeIssues,
  displayPrefix,
  generateSecret,
  grants,
  hashSecret,
  isScope,
  missingScope,
  newKeySchema,
  parseAuthorization,
  requiredScopes,
} from '../src/index.ts';

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
