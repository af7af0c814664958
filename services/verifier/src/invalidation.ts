import type { Logger } from '@keywatch/log';
import { Redis } from 'ioredis';
import type { KeyCache } from './key-cache.ts';

export interface KeyInvalidation {
  /** Tells every replica (this one included) to forget a key. */
  publish(hash: string): Promise<void>;
  close(): void;
}

/**
 * Redis pub/sub between verifier replicas. On every (re)subscription the local cache is emptied,
 * since messages sent while disconnected are lost; while disconnected the cache trusts nothing
 * older than a second (see KeyCache).
 */
export function keyInvalidation(
  redisUrl: string,
  prefix: string,
  cache: KeyCache,
  log: Logger,
): KeyInvalidation {
  const channel = `${prefix}:keys:invalidate`;
  const subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  const publisher = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  subscriber.on('error', () => {});
  publisher.on('error', () => {});
  subscriber.on('ready', async () => {
    try {
      await subscriber.subscribe(channel);
      cache.clear();
      cache.subscribed = true;
    } catch (err) {
      log.warn({ err }, 'could not subscribe to key invalidations');
    }
  });
  subscriber.on('close', () => {
    if (cache.subscribed) log.warn('key invalidation channel lost; caching keys for at most 1 s');
    cache.subscribed = false;
  });
  subscriber.on('message', (_channel, hash: string) => cache.invalidate(hash));
  return {
    async publish(hash) {
      cache.invalidate(hash);
      try {
        await publisher.publish(channel, hash);
      } catch (err) {
        // Other replicas are then unsubscribed too (same Redis) and trust their cache for 1 s at most.
        log.warn({ err }, 'could not publish a key invalidation');
      }
    },
    close() {
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
