import { describe, expect, it } from 'vitest';
import {
  buildKeyRows,
  filterKeyRows,
  isRotationDue,
  type KeyLike,
  type KeyRow,
  keyRowsCsv,
  keyStatus,
  sortKeyRows,
} from '../src/data/keys.ts';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

function key(over: Partial<KeyLike> & { id: string }): KeyLike {
  return {
    name: over.id,
    type: 'organization',
    ownerEmail: null,
    prefix: `sk_live_${over.id}`,
    scopes: ['data:read'],
    createdAt: daysAgo(10),
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
    lastUsedCountry: null,
    rotationDueAt: null,
    rotatedAt: null,
    ...over,
  };
}

describe('key status and rotation', () => {
  it('is revoked, expired, rotated or active, in that order', () => {
    expect(keyStatus(key({ id: 'a', revokedAt: daysAgo(1), rotatedAt: daysAgo(2) }), NOW)).toBe('revoked');
    expect(keyStatus(key({ id: 'b', expiresAt: daysAgo(1) }), NOW)).toBe('expired');
    expect(keyStatus(key({ id: 'c', expiresAt: daysAgo(-1) }), NOW)).toBe('active');
    expect(keyStatus(key({ id: 'd', rotatedAt: daysAgo(0), expiresAt: daysAgo(-1) }), NOW)).toBe('rotated');
  });

  it('is due when flagged or older than 90 days, and only while active', () => {
    expect(isRotationDue(key({ id: 'a', rotationDueAt: daysAgo(1) }), NOW)).toBe(true);
    expect(isRotationDue(key({ id: 'b', createdAt: daysAgo(91) }), NOW)).toBe(true);
    expect(isRotationDue(key({ id: 'c', createdAt: daysAgo(90) }), NOW)).toBe(false);
    expect(isRotationDue(key({ id: 'd', createdAt: daysAgo(200), revokedAt: daysAgo(1) }), NOW)).toBe(false);
    expect(isRotationDue(key({ id: 'e', createdAt: daysAgo(200), rotatedAt: daysAgo(1) }), NOW)).toBe(false);
  });
});

const keys = [
  key({
    id: 'k1',
    name: 'billing-service',
    scopes: ['data:read', 'data:write'],
    createdAt: daysAgo(120),
    lastUsedAt: daysAgo(1),
  }),
  key({ id: 'k2', name: 'Agents worker', type: 'scoped', scopes: ['agents:read'], lastUsedAt: daysAgo(3) }),
  key({
    id: 'k3',
    name: 'alice laptop',
    type: 'personal',
    ownerEmail: 'alice@example.com',
    scopes: ['admin'],
  }),
  key({ id: 'k4', name: 'old billing', revokedAt: daysAgo(2) }),
];
const usage = [
  {
    keyId: 'k1',
    requestCount: 100,
    successCount: 90,
    failureCount: 10,
    byCode: { VALID: 90, RATE_LIMITED: 10 },
  },
  { keyId: 'k2', requestCount: 50, successCount: 50, failureCount: 0, byCode: { VALID: 50 } },
  { keyId: 'k3', requestCount: 0, successCount: 0, failureCount: 0, byCode: {} },
];
const rows = buildKeyRows(
  keys,
  usage,
  [{ keyId: 'k1' }, { keyId: 'k1' }, { keyId: null }, { keyId: 'k2' }],
  NOW,
);
const ids = (r: readonly KeyRow[]) => r.map((x) => x.id);

describe('the keys table rows', () => {
  it('joins keys with their usage and open alerts', () => {
    const k1 = rows.find((r) => r.id === 'k1')!;
    expect(k1).toMatchObject({
      requests: 100,
      failures: 10,
      successRate: 0.9,
      topFailure: 'RATE_LIMITED',
      openAlerts: 2,
    });
    expect(k1.ageDays).toBe(120);
    expect(k1.due).toBe(true);
    const k3 = rows.find((r) => r.id === 'k3')!;
    expect(k3).toMatchObject({ requests: 0, successRate: null, topFailure: null, openAlerts: 0 });
    const k4 = rows.find((r) => r.id === 'k4')!;
    expect(k4).toMatchObject({ status: 'revoked', requests: 0, successRate: null });
  });
});

describe('search and filters', () => {
  it('searches names and prefixes, any case, every word', () => {
    expect(ids(filterKeyRows(rows, { q: 'BILLING' }))).toEqual(['k1', 'k4']);
    expect(ids(filterKeyRows(rows, { q: 'sk_live_k2' }))).toEqual(['k2']);
    expect(ids(filterKeyRows(rows, { q: 'billing service' }))).toEqual(['k1']);
    expect(ids(filterKeyRows(rows, { q: '  ' }))).toEqual(['k1', 'k2', 'k3', 'k4']);
  });

  it('filters by status, due, type and scope (admin grants every scope)', () => {
    expect(ids(filterKeyRows(rows, { status: 'revoked' }))).toEqual(['k4']);
    expect(ids(filterKeyRows(rows, { status: 'active' }))).toEqual(['k1', 'k2', 'k3']);
    expect(ids(filterKeyRows(rows, { status: 'due' }))).toEqual(['k1']);
    expect(ids(filterKeyRows(rows, { type: 'personal' }))).toEqual(['k3']);
    expect(ids(filterKeyRows(rows, { scope: 'data:write' }))).toEqual(['k1', 'k3']);
    expect(ids(filterKeyRows(rows, { scope: 'admin' }))).toEqual(['k3']);
    expect(ids(filterKeyRows(rows, { q: 'billing', status: 'active' }))).toEqual(['k1']);
  });
});

describe('sorting', () => {
  it('sorts by name, case-insensitively, both ways', () => {
    expect(ids(sortKeyRows(rows, 'name', 'asc'))).toEqual(['k2', 'k3', 'k1', 'k4']);
    expect(ids(sortKeyRows(rows, 'name', 'desc'))).toEqual(['k4', 'k1', 'k3', 'k2']);
  });

  it('sorts numbers as numbers, ties by name', () => {
    expect(ids(sortKeyRows(rows, 'requests', 'desc'))).toEqual(['k1', 'k2', 'k3', 'k4']);
    expect(ids(sortKeyRows(rows, 'openAlerts', 'asc'))).toEqual(['k3', 'k4', 'k2', 'k1']);
    expect(ids(sortKeyRows(rows, 'age', 'desc'))[0]).toBe('k1');
  });

  it('puts unknown values last whichever the direction', () => {
    expect(ids(sortKeyRows(rows, 'lastUsed', 'desc'))).toEqual(['k1', 'k2', 'k3', 'k4']);
    expect(ids(sortKeyRows(rows, 'lastUsed', 'asc'))).toEqual(['k2', 'k1', 'k3', 'k4']);
    expect(ids(sortKeyRows(rows, 'successRate', 'asc')).slice(-2)).toEqual(['k3', 'k4']);
    expect(ids(sortKeyRows(rows, 'topFailure', 'asc'))[0]).toBe('k1');
  });

  it('does not change the rows it is given', () => {
    const before = ids(rows);
    sortKeyRows(rows, 'name', 'desc');
    expect(ids(rows)).toEqual(before);
  });
});

describe('CSV of the rows shown', () => {
  it('has a header and one line per row, in the order shown', () => {
    const csv = keyRowsCsv(sortKeyRows(filterKeyRows(rows, { status: 'active' }), 'requests', 'desc'));
    const lines = csv.split('\r\n');
    expect(lines[0]).toMatch(/^id,name,prefix,type,/);
    expect(lines.slice(1, -1).map((l) => l.split(',')[0])).toEqual(['k1', 'k2', 'k3']);
    expect(lines[1]).toContain(',0.9,RATE_LIMITED,2');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('neutralizes key names that look like formulas', () => {
    const evil = buildKeyRows([key({ id: 'x', name: '=HYPERLINK("http://evil","click")' })], [], [], NOW);
    expect(keyRowsCsv(evil).split('\r\n')[1]).toContain(`,"'=HYPERLINK(""http://evil"",""click"")",`);
  });
});
