import type { Config } from '@keywatch/config';
import { connect, ensureOrg } from '@keywatch/db';
import { type AuthEvent, createKafka, decodeAuthEvent, TOPICS } from '@keywatch/events';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { createLogger } from '@keywatch/log';
import { createMetrics } from '@keywatch/runtime';
import { answerChecker, createTestContext, TcpProxy, type TestContext } from '@keywatch/testkit';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { assembleVerifier } from '../../src/assemble.ts';

/** A URL whose host and port now lead through a TcpProxy the test can cut. */
async function throughProxy(target: string, defaultPort: number) {
  const url = new URL(target);
  const proxy = await new TcpProxy({ host: url.hostname, port: Number(url.port || defaultPort) }).start();
  url.port = String(proxy.port);
  return { proxy, url: url.toString() };
}

/**
 * A verifier app on the run's real Postgres, Redis and Kafka, driven through Fastify's inject;
 * `env` overrides the run's configuration. With `proxies`, the verifier reaches Postgres and
 * Redis through TcpProxies the test can cut (the test's own `ctx.database` still goes direct).
 */
export async function startVerifier(
  name: string,
  env: Partial<Config> = {},
  options: { proxies?: boolean } = {},
) {
  const ctx: TestContext = await createTestContext(`verifier_${name}`);
  let proxies: { postgres: TcpProxy; redis: TcpProxy } | null = null;
  let database = ctx.database;
  let redisUrl = ctx.config.REDIS_URL;
  if (options.proxies) {
    const postgres = await throughProxy(ctx.config.DATABASE_URL, 5432);
    const redis = await throughProxy(ctx.config.REDIS_URL, 6379);
    proxies = { postgres: postgres.proxy, redis: redis.proxy };
    database = connect(postgres.url, { max: 4 });
    redisUrl = redis.url;
  }
  const log = createLogger({ service: 'verifier-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const kafka = createKafka({ brokers: ctx.config.KAFKA_BROKERS, clientId: 'verifier-test' });
  const metrics = createMetrics('verifier');
  // The routes read their configuration at each request: a test may change a bound through `config`.
  const config: Config = { ...ctx.config, REDIS_URL: redisUrl, ...env };
  const verifier = await assembleVerifier({
    config,
    log,
    metrics,
    database,
  });
  const { producer, cache } = verifier;
  const app = await checkedAgainstDocument(verifier.app);
  const org = await ensureOrg(ctx.database.db, `org-${name}`);
  const admin = await issueKey(
    ctx.database.db,
    org.id,
    newKeySchema.parse({ name: 'admin', scopes: ['admin'] }),
  );

  return {
    ctx,
    app,
    config,
    proxies,
    producer,
    cache,
    metrics,
    org,
    adminSecret: admin.secret,
    adminKeyId: admin.key.id,
    /** Issues a key directly in the database for an org (this test's by default). */
    async makeKey(spec: Record<string, unknown>, orgId = org.id) {
      return issueKey(ctx.database.db, orgId, newKeySchema.parse({ name: 'k', ...spec }));
    },
    /** Reads auth-events from the beginning until `until` is satisfied by the events that match. */
    async readEvents(
      match: string[] | ((e: AuthEvent) => boolean),
      until: (events: AuthEvent[]) => boolean,
      timeoutMs = 20_000,
    ) {
      const matches = Array.isArray(match)
        ? (e: AuthEvent) => e.keyId !== null && match.includes(e.keyId)
        : match;
      const consumer = kafka.consumer({ groupId: `reader-${name}-${Date.now()}`, maxWaitTimeInMs: 100 });
      const events: AuthEvent[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic: TOPICS.authEvents, fromBeginning: true });
      let done: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      await consumer.run({
        eachMessage: async ({ message }) => {
          const decoded = decodeAuthEvent(message.value);
          if (decoded.ok && matches(decoded.event)) events.push(decoded.event);
          if (until(events)) done();
        },
      });
      const timer = setTimeout(() => done(), timeoutMs);
      await finished;
      clearTimeout(timer);
      await consumer.disconnect();
      return events;
    },
    async close() {
      await verifier.close();
      if (database !== ctx.database) await database.close();
      await proxies?.postgres.close();
      await proxies?.redis.close();
      await ctx.close();
    },
  };
}

/**
 * The app, with every answer a test injects checked against the OpenAPI document the app serves:
 * an answer that drifts from its declared schema fails the test that received it.
 */
async function checkedAgainstDocument(app: FastifyInstance): Promise<FastifyInstance> {
  await app.ready();
  const checker = answerChecker(app.swagger());
  const inject = async (options: InjectOptions | string) => {
    const request = typeof options === 'string' ? { url: options } : options;
    const response = await app.inject(request);
    checker.assertMatches({
      method: (request.method ?? 'GET').toUpperCase(),
      url: String(request.url ?? request.path ?? '/'),
      status: response.statusCode,
      headers: response.headers,
      body: response.body,
    });
    return response;
  };
  return new Proxy(app, {
    get: (target, property) => {
      if (property === 'inject') return inject;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export type Verifier = Awaited<ReturnType<typeof startVerifier>>;
export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
