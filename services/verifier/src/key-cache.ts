import type { ApiKey } from '@keywatch/db';
import { Counter, type Registry } from 'prom-client';

export interface KeyCacheOptions {
  load: (hash: string) => Promise<ApiKey | undefined>;
  metrics: Registry;
  /** How long a found key is trusted while invalidations are being received. */
  ttlMs?: number;
  /** How long "no such key" is remembered, so floods of unknown keys do not reach Postgres. */
  missTtlMs?: number;
  /** The most either may be trusted while the invalidation channel is down (the 1 s promise). */
  unsubscribedTtlMs?: number;
  maxEntries?: number;
}

interface Entry {
  key: ApiKey | undefined;
  storedAt: number;
}

/**
 * hash → key in process memory, misses included. Entries are dropped on an invalidation message
 * (revoke, patch, rotate on any replica); while those cannot be received, nothing older than
 * `unsubscribedTtlMs` is used, so a change is enforced everywhere within a second either way.
 */
export class KeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<ApiKey | undefined>>();
  private readonly options: Required<Omit<KeyCacheOptions, 'metrics'>>;
  private readonly lookups: Counter<'result'>;
  /** Bumped by every invalidation: a load that began before one must not store what it read. */
  private epoch = 0;
  /** Set by the invalidation channel. */
  subscribed = false;

  constructor({ metrics, ...options }: KeyCacheOptions) {
    this.options = {
      ttlMs: 60_000,
      missTtlMs: 5_000,
      unsubscribedTtlMs: 1_000,
      maxEntries: 200_000,
      ...options,
    };
    this.lookups = new Counter({
      name: 'keywatch_key_cache_lookups_total',
      help: 'Key lookups by result (hit, miss = went to Postgres)',
      labelNames: ['result'],
      registers: [metrics],
    });
  }

  async get(hash: string): Promise<ApiKey | undefined> {
    const entry = this.entries.get(hash);
    if (entry && Date.now() - entry.storedAt < this.ttlOf(entry)) {
      this.lookups.inc({ result: 'hit' });
      return entry.key;
    }
    this.lookups.inc({ result: 'miss' });
    // One query per hash however many requests wait on it.
    let pending = this.loading.get(hash);
    if (!pending) {
      const startedAt = this.epoch;
      pending = this.options.load(hash).then(
        (key) => {
          if (this.epoch === startedAt) {
            this.store(hash, key);
            this.loading.delete(hash);
          }
          return key;
        },
        (err) => {
          this.loading.delete(hash);
          throw err;
        },
      );
      this.loading.set(hash, pending);
    }
    return pending;
  }

  invalidate(hash: string): void {
    this.epoch++;
    this.entries.delete(hash);
    this.loading.delete(hash); // a load already under way may carry the old row
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
    this.loading.clear();
  }

  private ttlOf(entry: Entry): number {
    const ttl = entry.key ? this.options.ttlMs : this.options.missTtlMs;
    return this.subscribed ? ttl : Math.min(ttl, this.options.unsubscribedTtlMs);
  }

  private store(hash: string, key: ApiKey | undefined) {
    if (this.entries.size >= this.options.maxEntries) {
      // Maps iterate in insertion order: drop the oldest tenth.
      let drop = Math.ceil(this.options.maxEntries / 10);
      for (const oldest of this.entries.keys()) {
        this.entries.delete(oldest);
        if (--drop === 0) break;
      }
    }
    this.entries.set(hash, { key, storedAt: Date.now() });
  }
}
