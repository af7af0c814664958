import { resolve } from 'node:path';
import type { Config } from '@keywatch/config';
import { type Database, findKeyByHash } from '@keywatch/db';
import type { Logger } from '@keywatch/log';
import { currentThreadId, registerThreadCpu } from '@keywatch/runtime';
import { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';
import { buildApp } from './app.ts';
import { AuthEventProducer } from './event-producer.ts';
import { openGeo } from './geo.ts';
import { KafkaThread } from './kafka-thread.ts';
import { KeyCache } from './key-cache.ts';
import { followKeyChanges } from './key-changes.ts';
import { redisRateLimiter } from './rate-limit.ts';
import { redisSessions } from './sessions.ts';
import { Spool } from './spool.ts';
import { budgetedLookup, UnknownKeyBudget } from './unknown-keys.ts';
import { createVerifier } from './verifier.ts';

export interface AssembleOptions {
  config: Config;
  log: Logger;
  metrics: Registry;
  database: Database;
}

/** The verifier's parts joined up: producer, rate limiter, key cache and its change follower, the app. */
export async function assembleVerifier({ config, log, metrics, database }: AssembleOptions) {
  const kafka = new KafkaThread({ brokers: config.KAFKA_BROKERS, clientId: 'keywatch-verifier' });
  const mainThread = currentThreadId();
  registerThreadCpu(metrics, { main: () => mainThread, kafka: () => kafka.threadId });
  const producer = new AuthEventProducer({
    kafka,
    log: log.child({ component: 'producer' }),
    metrics,
    spool: new Spool(
      config.EVENT_SPOOL_DIR ?? resolve('.data', 'spool', `verifier-${config.VERIFIER_PORT}`),
      config.EVENT_SPOOL_MAX_BYTES,
    ),
    maxBuffered: config.EVENT_BUFFER_MAX,
    maxBufferedBytes: config.EVENT_BUFFER_MAX_BYTES,
    lingerMs: config.EVENT_LINGER_MS,
  });
  // Auto-pipelining: concurrent requests share Redis round trips.
  const redis = new Redis(config.REDIS_URL, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    // A Redis that stops answering must not hold verifications: fail over to per-replica windows.
    commandTimeout: 100,
  });
  const degraded = new Gauge({
    name: 'keywatch_ratelimit_degraded',
    help: '1 while Redis cannot answer and rate limits are counted per replica',
    registers: [metrics],
  });
  redis.on('error', () => degraded.set(1)); // reported by the gauge, not as an unhandled event
  redis.on('ready', () => degraded.set(0));
  const cache = new KeyCache({
    load: (hash) => findKeyByHash(database.db, hash),
    metrics,
    outageMs: config.KEY_CACHE_OUTAGE_SECONDS * 1000,
  });
  const follower = followKeyChanges(database.db, cache, log);
  const rateLimit = redisRateLimiter(redis, config.REDIS_PREFIX, () => degraded.set(1));
  const verify = createVerifier({
    findKey: budgetedLookup(cache, new UnknownKeyBudget(config.UNKNOWN_KEYS_PER_SOURCE_PER_MINUTE)),
    metrics,
    countryOf: await openGeo(config.GEOIP_DB),
    emit: (event) => producer.emit(event),
    rateLimit,
  });
  const app = await buildApp({
    config,
    log,
    database,
    metrics,
    verify,
    invalidateKey: async (hash) => cache.invalidate(hash),
    sessions: redisSessions(redis, config.REDIS_PREFIX),
    rateLimit,
  });
  return {
    app,
    producer,
    cache,
    /** Stops taking requests, sends what the producer holds, and lets go of Redis. */
    async close() {
      await app.close();
      await producer.stop();
      follower.stop();
      redis.disconnect();
    },
  };
}
