import type { ApiKey } from '@keywatch/db';
import { Counter, type Registry } from 'prom-client';

export interface KeyCacheOptions {
  load: (hash: string) => Promise<ApiKey | undefined>;
  metrics: Registry;
  /** How long a found key is trusted while key changes are being followed. */
  ttlMs?: number;
  /** How long "no such key" is remembered, so floods of unknown keys do not reach Postgres. */
  missTtlMs?: number;
  /** The promise: a change is enforced within this long, whatever fails. */
  staleLimitMs?: number;
  maxEntries?: number;
}

interface Entry {
  key: ApiKey | undefined;
  /** When the load that produced it began: it reflects every change committed before then. */
  loadedAt: number;
}

/**
 * hash → key in process memory, misses included. The change follower (key-changes.ts) drops the
 * entries of changed keys and says when it last looked. An entry older than `staleLimitMs` is used
 * only if that look began less than `staleLimitMs` ago, so a revoke, patch or rotation is enforced
 * on every replica within that limit, even while the follower cannot reach Postgres.
 */
export class KeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<ApiKey | undefined>>();
  private readonly options: Required<Omit<KeyCacheOptions, 'metrics'>>;
  private readonly lookups: Counter<'result'>;
  /** Bumped by every invalidation: a load that began before one must not store what it read. */
  private epoch = 0;
  /** Start of the last successful look at key changes (0: never). */
  private changesSeenAt = 0;

  constructor({ metrics, ...options }: KeyCacheOptions) {
    this.options = { ttlMs: 60_000, missTtlMs: 5_000, staleLimitMs: 1_000, maxEntries: 200_000, ...options };
    this.lookups = new Counter({
      name: 'keywatch_key_cache_lookups_total',
      help: 'Key lookups by result (hit, or miss: went to Postgres)',
      labelNames: ['result'],
      registers: [metrics],
    });
  }

  /** Called by the change follower after each successful look, with the time that look began. */
  changesSeen(lookStartedAt: number): void {
    this.changesSeenAt = Math.max(this.changesSeenAt, lookStartedAt);
  }

  async get(hash: string): Promise<ApiKey | undefined> {
    const now = Date.now();
    const entry = this.entries.get(hash);
    if (entry && now - entry.loadedAt < this.ttlOf(entry, now)) {
      this.lookups.inc({ result: 'hit' });
      return entry.key;
    }
    this.lookups.inc({ result: 'miss' });
    // One query per hash however many requests wait on it.
    const waiting = this.loading.get(hash);
    if (waiting) return waiting;
    const startedAt = Date.now();
    const startedEpoch = this.epoch;
    const pending: Promise<ApiKey | undefined> = this.options.load(hash).finally(() => {
      if (this.loading.get(hash) === pending) this.loading.delete(hash);
    });
    this.loading.set(hash, pending);
    const key = await pending;
    if (this.epoch === startedEpoch) this.store(hash, { key, loadedAt: startedAt });
    return key;
  }

  invalidate(hash: string): void {
    this.epoch++;
    this.entries.delete(hash);
    this.loading.delete(hash); // a load already under way may carry the old row
  }

  private ttlOf(entry: Entry, now: number): number {
    const ttl = entry.key ? this.options.ttlMs : this.options.missTtlMs;
    const following = now - this.changesSeenAt < this.options.staleLimitMs;
    return following ? ttl : Math.min(ttl, this.options.staleLimitMs);
  }

  private store(hash: string, entry: Entry) {
    if (this.entries.size >= this.options.maxEntries) {
      // Maps iterate in insertion order: drop the oldest tenth.
      let drop = Math.ceil(this.options.maxEntries / 10);
      for (const oldest of this.entries.keys()) {
        this.entries.delete(oldest);
        if (--drop === 0) break;
      }
    }
    this.entries.set(hash, entry);
  }
}
