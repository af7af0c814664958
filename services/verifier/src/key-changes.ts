import { type Db, recentKeyChanges } from '@keywatch/db';
import type { Logger } from '@keywatch/log';
import { HOUR_MS } from '@keywatch/rules';
import type { KeyCache } from './key-cache.ts';

export interface KeyChangeFollower {
  stop(): void;
}

// Past this gap, the changes missed are not worth reading one by one: forget every cached key.
const MAX_CATCH_UP_MS = HOUR_MS;

/**
 * Looks at the key changes of the last few seconds every `intervalMs` and makes the cache forget
 * those keys. The windows overlap, so a change whose transaction committed late is still seen;
 * each change row is applied once (a key changed twice is forgotten twice). After looks failed
 * (Postgres away), the next one reaches back to the last look that worked, so no change made
 * meanwhile (a revoke on another replica) is missed.
 */
export function followKeyChanges(
  db: Db,
  cache: KeyCache,
  log: Logger,
  { intervalMs = 250, windowMs = 5_000 }: { intervalMs?: number; windowMs?: number } = {},
): KeyChangeFollower {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failing = false;
  /** When the last successful look began. */
  let seenAt = Date.now();
  /** Change rows already applied (those still in the window). */
  let applied = new Set<number>();

  async function look() {
    const startedAt = Date.now();
    const reach = startedAt - seenAt + windowMs;
    try {
      if (reach > MAX_CATCH_UP_MS) cache.clear();
      const changes = await recentKeyChanges(db, Math.min(reach, MAX_CATCH_UP_MS));
      for (const change of changes) if (!applied.has(change.id)) cache.invalidate(change.hash);
      applied = new Set(changes.map((c) => c.id));
      seenAt = startedAt;
      cache.changesSeen(startedAt);
      if (failing) log.info('following key changes again');
      failing = false;
    } catch (err) {
      if (!failing) {
        log.warn(
          { err },
          'cannot read key changes; cached keys are trusted for 1 s, or while Postgres is away for KEY_CACHE_OUTAGE_SECONDS',
        );
      }
      failing = true;
    } finally {
      if (!stopped) timer = setTimeout(look, intervalMs);
    }
  }
  void look();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
