import type { Config } from '@keywatch/config';
import { ensureOrg, issueKey } from '@keywatch/db';
import { type AuthEvent, createKafka, decodeAuthEvent, TOPICS } from '@keywatch/events';
import { newKeySchema } from '@keywatch/keys';
import { createLogger } from '@keywatch/log';
import { createMetrics } from '@keywatch/runtime';
import { createTestContext, type TestContext } from '@keywatch/testkit';
import { assembleVerifier } from '../../src/assemble.ts';

/**
 * A verifier app on the run's real Postgres, Redis and Kafka, driven through Fastify's inject;
 * `env` overrides the run's configuration.
 */
export async function startVerifier(name: string, env: Partial<Config> = {}) {
  const ctx: TestContext = await createTestContext(`verifier_${name}`);
  const log = createLogger({ service: 'verifier-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const kafka = createKafka({ brokers: ctx.config.KAFKA_BROKERS, clientId: 'verifier-test' });
  const metrics = createMetrics('verifier');
  const verifier = await assembleVerifier({
    config: { ...ctx.config, ...env },
    log,
    metrics,
    database: ctx.database,
  });
  const { app, producer, cache } = verifier;
  const org = await ensureOrg(ctx.database.db, `org-${name}`);
  const admin = await issueKey(
    ctx.database.db,
    org.id,
    newKeySchema.parse({ name: 'admin', scopes: ['admin'] }),
  );

  return {
    ctx,
    app,
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
      await ctx.close();
    },
  };
}

export type Verifier = Awaited<ReturnType<typeof startVerifier>>;
export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
