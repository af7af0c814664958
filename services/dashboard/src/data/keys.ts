/**
 * The keys table: one row per key from the key list, the usage report of the range and the open
 * alerts; search, filters, sorting and the CSV of what is shown.
 */
import type { ApiKey } from '@keywatch/client';
import type { KeyType } from '@keywatch/keys/scopes';
import { DAY_MS } from '@keywatch/rules';
import { type Cell, toCsv } from './csv.ts';
import { topFailure } from './failures.ts';
import { successRate } from './kpi.ts';

// One source of truth: the same lists the API validates with (pure constants, no server code).
export { KEY_TYPES, type KeyType, SCOPES, type Scope } from '@keywatch/keys/scopes';

/** What the table reads of a key: the API's ApiKey, or as much of it as a test gives. */
export type KeyLike = Pick<
  ApiKey,
  | 'id'
  | 'name'
  | 'type'
  | 'ownerEmail'
  | 'prefix'
  | 'scopes'
  | 'createdAt'
  | 'expiresAt'
  | 'revokedAt'
  | 'lastUsedAt'
  | 'lastUsedCountry'
  | 'rotationDueAt'
  | 'rotatedAt'
>;

export interface UsageLike {
  keyId: string;
  requestCount: number;
  successCount: number;
  failureCount: number;
  byCode: Readonly<Record<string, number | undefined>>;
}

export type KeyStatus = 'active' | 'revoked' | 'expired' | 'rotated';
export const STATUS_FILTERS = ['active', 'revoked', 'expired', 'rotated', 'due'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export const ROTATION_MAX_AGE_DAYS = 90;

/** Revoked, expired, rotated (replaced; it may work until its grace period ends) or active. */
export function keyStatus(key: KeyLike, now: Date): KeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now.getTime()) return 'expired';
  if (key.rotatedAt) return 'rotated';
  return 'active';
}

/** Due for rotation: live (active) and flagged by the scan or older than the limit. */
export function isRotationDue(key: KeyLike, now: Date, maxAgeDays = ROTATION_MAX_AGE_DAYS): boolean {
  if (keyStatus(key, now) !== 'active') return false;
  if (key.rotationDueAt) return true;
  return now.getTime() - Date.parse(key.createdAt) > maxAgeDays * DAY_MS;
}

export interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  type: KeyType;
  ownerEmail: string | null;
  scopes: readonly string[];
  createdAt: string;
  ageDays: number;
  status: KeyStatus;
  due: boolean;
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedCountry: string | null;
  requests: number;
  failures: number;
  successRate: number | null;
  topFailure: string | null;
  openAlerts: number;
}

export function buildKeyRows(
  keys: readonly KeyLike[],
  usage: readonly UsageLike[],
  firingAlerts: readonly { keyId: string | null }[],
  now: Date,
): KeyRow[] {
  const usageOf = new Map(usage.map((u) => [u.keyId, u]));
  const alertsOf = new Map<string, number>();
  for (const a of firingAlerts) if (a.keyId) alertsOf.set(a.keyId, (alertsOf.get(a.keyId) ?? 0) + 1);
  return keys.map((k) => {
    const u = usageOf.get(k.id);
    return {
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      type: k.type,
      ownerEmail: k.ownerEmail,
      scopes: k.scopes,
      createdAt: k.createdAt,
      ageDays: Math.max(0, Math.floor((now.getTime() - Date.parse(k.createdAt)) / DAY_MS)),
      status: keyStatus(k, now),
      due: isRotationDue(k, now),
      expiresAt: k.expiresAt,
      lastUsedAt: k.lastUsedAt,
      lastUsedCountry: k.lastUsedCountry,
      requests: u?.requestCount ?? 0,
      failures: u?.failureCount ?? 0,
      successRate: u ? successRate(u.successCount, u.requestCount) : null,
      topFailure: u ? (topFailure(u.byCode)?.code ?? null) : null,
      openAlerts: alertsOf.get(k.id) ?? 0,
    };
  });
}

export interface KeyFilters {
  q?: string | undefined;
  status?: StatusFilter | undefined;
  type?: KeyType | undefined;
  scope?: string | undefined;
}

/** Search by name or prefix (case-insensitive, every word must match), then the filters. */
export function filterKeyRows(rows: readonly KeyRow[], f: KeyFilters): KeyRow[] {
  const words = (f.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((r) => {
    if (words.length > 0) {
      const hay = `${r.name}\n${r.prefix}`.toLowerCase();
      if (!words.every((w) => hay.includes(w))) return false;
    }
    if (f.status) {
      if (f.status === 'due' ? !r.due : r.status !== f.status) return false;
    }
    if (f.type && r.type !== f.type) return false;
    // `admin` grants every scope, so an admin key matches any scope asked for.
    if (f.scope && !r.scopes.includes(f.scope) && !r.scopes.includes('admin')) return false;
    return true;
  });
}

export const SORT_COLUMNS = [
  'name',
  'prefix',
  'type',
  'scopes',
  'age',
  'lastUsed',
  'requests',
  'successRate',
  'topFailure',
  'openAlerts',
  'status',
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDir = 'asc' | 'desc';

const sortValue: Record<SortColumn, (r: KeyRow) => string | number | null> = {
  name: (r) => r.name.toLowerCase(),
  prefix: (r) => r.prefix,
  type: (r) => r.type,
  scopes: (r) => r.scopes.join(','),
  age: (r) => r.ageDays,
  lastUsed: (r) => (r.lastUsedAt ? Date.parse(r.lastUsedAt) : null),
  requests: (r) => r.requests,
  successRate: (r) => r.successRate,
  topFailure: (r) => r.topFailure,
  openAlerts: (r) => r.openAlerts,
  status: (r) => (r.due ? 'active (due)' : r.status),
};

/** Sorted by a column; unknown values (never used, no requests) last either way; ties by name, then id. */
export function sortKeyRows(rows: readonly KeyRow[], column: SortColumn, dir: SortDir): KeyRow[] {
  const value = sortValue[column];
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null && vb !== null) return 1;
    if (vb === null && va !== null) return -1;
    if (va !== null && vb !== null && va !== vb) {
      const c =
        typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      if (c !== 0) return sign * c;
    }
    return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  });
}

export const CSV_HEADER = [
  'id',
  'name',
  'prefix',
  'type',
  'owner_email',
  'scopes',
  'created_at',
  'age_days',
  'status',
  'rotation_due',
  'last_used_at',
  'last_used_country',
  'requests',
  'failures',
  'success_rate',
  'top_failure_reason',
  'open_alerts',
];

/** The rows as CSV (the rows shown: filtered and sorted), times in ISO 8601 UTC. */
export function keyRowsCsv(rows: readonly KeyRow[]): string {
  return toCsv(
    CSV_HEADER,
    rows.map((r): Cell[] => [
      r.id,
      r.name,
      r.prefix,
      r.type,
      r.ownerEmail,
      r.scopes.join(' '),
      r.createdAt,
      r.ageDays,
      r.status,
      r.due,
      r.lastUsedAt,
      r.lastUsedCountry,
      r.requests,
      r.failures,
      r.successRate === null ? null : Math.round(r.successRate * 10_000) / 10_000,
      r.topFailure,
      r.openAlerts,
    ]),
  );
}
