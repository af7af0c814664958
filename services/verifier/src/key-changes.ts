import { type Db, recentKeyChanges } from '@keywatch/db';
import type { Logger } from '@keywatch/log';
import type { KeyCache } from './key-cache.ts';

export interface KeyChangeFollower {
  stop(): void;
}

/**
 * Looks at the key changes of the last few seconds every `intervalMs` and makes the cache forget
 * those keys. The windows overlap, so a change whose transaction committed late is still seen;
 * each change row is applied once (a key changed twice is forgotten twice).
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
  /** Change rows already applied (those still in the window). */
  let applied = new Set<number>();

  async function look() {
    const startedAt = Date.now();
    try {
      const changes = await recentKeyChanges(db, windowMs);
      for (const change of changes) if (!applied.has(change.id)) cache.invalidate(change.hash);
      applied = new Set(changes.map((c) => c.id));
      cache.changesSeen(startedAt);
      if (failing) log.info('following key changes again');
      failing = false;
    } catch (err) {
      if (!failing) log.warn({ err }, 'cannot read key changes; cached keys are trusted for 1 s at most');
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
