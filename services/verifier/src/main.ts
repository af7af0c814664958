import { createKafka } from '@keywatch/events';
import { runService } from '@keywatch/runtime';
import { Redis } from 'ioredis';
import { Gauge } from 'prom-client';
import { buildApp } from './app.ts';
import { AuthEventProducer } from './event-producer.ts';
import { openGeo } from './geo.ts';
import { redisRateLimiter } from './rate-limit.ts';
import { createVerification } from './verification.ts';

await runService(
  'verifier',
  async ({ config, log, metrics, database }) => {
    const producer = new AuthEventProducer({
      kafka: createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'keywatch-verifier' }),
      log: log.child({ component: 'producer' }),
      metrics,
    });
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    const degraded = new Gauge({
      name: 'keywatch_ratelimit_degraded',
      help: '1 while Redis cannot answer and rate limits are not enforced',
      registers: [metrics],
    });
    redis.on('error', () => degraded.set(1)); // reported by the gauge, not as an unhandled event
    redis.on('ready', () => degraded.set(0));
    const verify = createVerification({
      database,
      metrics,
      countryOf: await openGeo(config.GEOIP_DB),
      emit: (event) => producer.emit(event),
      rateLimit: redisRateLimiter(redis, config.REDIS_PREFIX, () => degraded.set(1)),
    });
    const app = await buildApp({ config, log, database, metrics, verify });
    await app.listen({ port: config.VERIFIER_PORT, host: '0.0.0.0' });
    log.info({ url: `http://127.0.0.1:${config.VERIFIER_PORT}` }, 'verifier listening');
    return {
      async stop() {
        await app.close();
        await producer.stop();
        redis.disconnect();
      },
    };
  },
  { poolSize: 20 },
);
