import type { ApiKey } from '@keywatch/db';
import { Counter, Gauge, type Registry } from 'prom-client';

/** Forgets a changed key in this replica at once; other replicas follow key_changes (within 1 s). */
export type InvalidateKey = (hash: string) => Promise<void>;

export interface KeyCacheOptions {
  load: (hash: string) => Promise<ApiKey | undefined>;
  metrics: Registry;
  /** How long a found key is trusted while key changes are being followed. */
  ttlMs?: number;
  /** How long "no such key" is remembered, so a client retrying a wrong key does not reach Postgres. */
  missTtlMs?: number;
  /** The promise: a change is enforced within this long, whatever fails. */
  staleLimitMs?: number;
  maxEntries?: number;
  /** Unknown hashes remembered; kept apart from found keys, so a flood of them never evicts one. */
  maxMisses?: number;
  /** While Postgres cannot be reached, a cached key keeps verifying this long after it was last known right. */
  outageMs?: number;
  /** A lookup that takes longer counts as Postgres unreachable. */
  loadTimeoutMs?: number;
}

/** Postgres cannot be reached (or did not answer in time) and the cache cannot stand in for it. */
export class KeyStoreUnavailableError extends Error {
  override name = 'KeyStoreUnavailableError';
}

interface Entry {
  key: ApiKey;
  /** When the load that produced it began: it reflects every change committed before then. */
  loadedAt: number;
}

// After a failed lookup, the next ones within this long fail at once instead of each waiting.
const RETRY_STORE_AFTER_MS = 1_000;

/**
 * hash → key in process memory, and a separate, bounded memory of unknown hashes. The change
 * follower (key-changes.ts) drops the entries of changed keys and says when it last looked. An
 * entry older than `staleLimitMs` is used only if that look began less than `staleLimitMs` ago, so
 * a revoke, patch or rotation is enforced on every replica within that limit. The one exception is
 * an outage: while Postgres cannot be reached, a cached key keeps verifying for `outageMs` after
 * it was last known right (counted by keywatch_key_cache_stale_served_total); a key not cached
 * then fails with KeyStoreUnavailableError (503).
 */
export class KeyCache {
  private readonly keys = new Map<string, Entry>();
  /** Unknown hash → when the load that found nothing began. */
  private readonly misses = new Map<string, number>();
  private readonly loading = new Map<string, Promise<ApiKey | undefined>>();
  private readonly options: Required<Omit<KeyCacheOptions, 'metrics'>>;
  private readonly lookups: Counter<'result'>;
  private readonly staleServed: Counter;
  private readonly reachable: Gauge;
  /** Start of the last successful look at key changes (0: never). */
  private changesSeenAt = 0;
  /** Until then, lookups fail at once: the last one could not reach Postgres. */
  private storeDownUntil = 0;

  constructor({ metrics, ...options }: KeyCacheOptions) {
    this.options = {
      ttlMs: 60_000,
      missTtlMs: 5_000,
      staleLimitMs: 1_000,
      maxEntries: 200_000,
      maxMisses: 100_000,
      outageMs: 30_000,
      loadTimeoutMs: 2_000,
      ...options,
    };
    this.lookups = new Counter({
      name: 'keywatch_key_cache_lookups_total',
      help: 'Key lookups by result (hit, or miss: went to Postgres)',
      labelNames: ['result'],
      registers: [metrics],
    });
    this.staleServed = new Counter({
      name: 'keywatch_key_cache_stale_served_total',
      help: 'Verifications answered from the cache while Postgres could not be reached',
      registers: [metrics],
    });
    this.reachable = new Gauge({
      name: 'keywatch_key_store_reachable',
      help: '1 while key lookups reach Postgres, 0 while they fail',
      registers: [metrics],
    });
    this.reachable.set(1);
  }

  /** Called by the change follower after each successful look, with the time that look began. */
  changesSeen(lookStartedAt: number): void {
    this.changesSeenAt = Math.max(this.changesSeenAt, lookStartedAt);
  }

  /**
   * True when asking for the hash costs no new Postgres work to fear: a key seen before, an unknown
   * one remembered, or one whose lookup is under way (the many requests of a burst join it).
   */
  knows(hash: string): boolean {
    return this.keys.has(hash) || this.loading.has(hash) || this.freshMiss(hash, Date.now());
  }

  async get(hash: string): Promise<ApiKey | undefined> {
    const now = Date.now();
    const entry = this.keys.get(hash);
    if (entry ? now - entry.loadedAt < this.ttl(now) : this.freshMiss(hash, now)) {
      this.lookups.inc({ result: 'hit' });
      return entry?.key;
    }
    this.lookups.inc({ result: 'miss' });
    try {
      return await this.load(hash);
    } catch (err) {
      if (entry && now - Math.max(entry.loadedAt, this.changesSeenAt) < this.options.outageMs) {
        this.staleServed.inc();
        return entry.key;
      }
      throw err instanceof KeyStoreUnavailableError
        ? err
        : new KeyStoreUnavailableError('cannot look the key up in Postgres', { cause: err });
    }
  }

  invalidate(hash: string): void {
    this.keys.delete(hash);
    this.misses.delete(hash);
    // A load under way may carry the old row: once it is no longer the one waited on, it stores nothing.
    this.loading.delete(hash);
  }

  /** Forgets everything: changes may have been missed (the follower was away too long). */
  clear(): void {
    this.keys.clear();
    this.misses.clear();
    this.loading.clear();
  }

  /** One query per hash however many requests wait on it. */
  private load(hash: string): Promise<ApiKey | undefined> {
    const waiting = this.loading.get(hash);
    if (waiting) return waiting;
    if (Date.now() < this.storeDownUntil) {
      return Promise.reject(new KeyStoreUnavailableError('Postgres could not be reached a moment ago'));
    }
    const startedAt = Date.now();
    const pending: Promise<ApiKey | undefined> = withTimeout(
      this.options.load(hash),
      this.options.loadTimeoutMs,
    ).then(
      (key) => {
        this.reachable.set(1);
        this.storeDownUntil = 0;
        if (this.loading.get(hash) === pending) {
          this.loading.delete(hash);
          this.store(hash, key, startedAt);
        }
        return key;
      },
      (err) => {
        // One failed query (a lock timeout, a bad row) says nothing of the others: only an
        // unreachable Postgres makes the next lookups fail at once.
        if (isStoreUnreachable(err)) {
          this.reachable.set(0);
          this.storeDownUntil = Date.now() + RETRY_STORE_AFTER_MS;
        }
        if (this.loading.get(hash) === pending) this.loading.delete(hash);
        throw err;
      },
    );
    this.loading.set(hash, pending);
    return pending;
  }

  private freshMiss(hash: string, now: number): boolean {
    const loadedAt = this.misses.get(hash);
    return loadedAt !== undefined && now - loadedAt < Math.min(this.options.missTtlMs, this.ttl(now));
  }

  private ttl(now: number): number {
    const following = now - this.changesSeenAt < this.options.staleLimitMs;
    return following ? this.options.ttlMs : this.options.staleLimitMs;
  }

  private store(hash: string, key: ApiKey | undefined, loadedAt: number) {
    if (key) {
      this.misses.delete(hash);
      evictOldest(this.keys, this.options.maxEntries);
      this.keys.set(hash, { key, loadedAt });
    } else {
      this.keys.delete(hash);
      evictOldest(this.misses, this.options.maxMisses);
      this.misses.set(hash, loadedAt);
    }
  }
}

/** At the bound, drops the oldest tenth (Maps iterate in insertion order). */
function evictOldest(map: Map<string, unknown>, max: number) {
  if (map.size < max) return;
  let drop = Math.ceil(max / 10);
  for (const oldest of map.keys()) {
    map.delete(oldest);
    if (--drop === 0) break;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KeyStoreUnavailableError(`no answer from Postgres in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** True for an error that means Postgres could not be reached (as opposed to a bad query). */
export function isStoreUnreachable(err: unknown): boolean {
  // Drizzle wraps the driver's error: look down the cause chain, a few links at most.
  let e = err as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 5; depth++, e = e.cause as typeof e) {
    if (e instanceof KeyStoreUnavailableError) return true;
    if (typeof e.code === 'string' && UNREACHABLE.has(e.code)) return true;
  }
  return false;
}

// Node's socket errors and postgres.js's own connection errors.
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now
]);
