import type { BlockList } from 'node:net';
import type { Config } from '@keywatch/config';
import type { Database } from '@keywatch/db';
import type { Logger } from '@keywatch/log';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Registry } from 'prom-client';
import { networkList } from './client-ip.ts';
import { answerErrors } from './http/edge.ts';
import { documentApi, serializeResponses, validateRequests } from './http/openapi.ts';
import { lazyRequestLogger } from './http/request-logger.ts';
import type { InvalidateKey } from './key-cache.ts';
import { adminAuth } from './plugins/admin-auth.ts';
import type { RateLimiter } from './rate-limit.ts';
import { getAlertSettingsRoute } from './routes/alert-settings/get.ts';
import { putAlertSettingsRoute } from './routes/alert-settings/put.ts';
import { alertsRoute } from './routes/alerts.ts';
import { alertsPreviewRoute } from './routes/alerts-preview.ts';
import { createKeyRoute } from './routes/api-keys/create.ts';
import { getKeyRoute } from './routes/api-keys/get.ts';
import { keyIpsRoute } from './routes/api-keys/ips.ts';
import { listKeysRoute } from './routes/api-keys/list.ts';
import { revokeKeyRoute } from './routes/api-keys/revoke.ts';
import { rotateKeyRoute } from './routes/api-keys/rotate.ts';
import { updateKeyRoute } from './routes/api-keys/update.ts';
import { keyUsageRoute } from './routes/api-keys/usage.ts';
import { countriesRoute } from './routes/countries.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { forwardAuthRoute } from './routes/forward-auth.ts';
import { opsRoutes } from './routes/ops.ts';
import { createSessionRoute } from './routes/session/create.ts';
import { deleteSessionRoute } from './routes/session/delete.ts';
import { createSilenceRoute } from './routes/silences/create.ts';
import { liftSilenceRoute } from './routes/silences/lift.ts';
import { listSilencesRoute } from './routes/silences/list.ts';
import { orgUsageRoute } from './routes/usage.ts';
import { verifyJsonRoute } from './routes/verify-json.ts';
import { webhookSecretRoute } from './routes/webhook-secret.ts';
import type { SessionStore } from './sessions.ts';
import type { Verifier } from './verifier.ts';

export interface AppDeps {
  config: Config;
  log: Logger;
  database: Database;
  metrics: Registry;
  verify: Verifier;
  invalidateKey: InvalidateKey;
  /** The dashboard's sessions (Redis). */
  sessions: SessionStore;
  /** The keys' rate limits, which a session's requests spend too (the same limiter as verification). */
  rateLimit: RateLimiter;
}

declare module 'fastify' {
  interface FastifyInstance {
    trustedProxies: BlockList;
  }
}

/** The body limit of every route: management bodies are small, and the verifier's memory is shared. */
const BODY_LIMIT = 64 * 1024;

/**
 * The verifier's HTTP surface; each route declares its schemas and the dependencies it uses (its
 * plugin options), and this hands each exactly those.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is Fastify's logger; the cast only bridges their declared generics.
    loggerInstance: deps.log as FastifyBaseLogger,
    // Per-request log lines would cost more than a verification; failures are logged where they happen.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: BODY_LIMIT,
    // X-Forwarded-For is read by our own trusted-proxy rule (client-ip.ts), not Fastify's.
    trustProxy: false,
  });
  app.decorate('trustedProxies', networkList(deps.config.TRUSTED_PROXIES));
  // The API takes JSON only: any other body is a 415 (forward-auth drains bodies of any type).
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validateRequests);
  app.setSerializerCompiler(serializeResponses);
  answerErrors(app);
  await documentApi(app);

  const { config, verify, sessions, invalidateKey } = deps;
  const { db, sql } = deps.database;
  await app.register(opsRoutes, { sql, metrics: deps.metrics });
  await app.register(dashboardRoutes);
  await app.register(forwardAuthRoute, { verify, config });
  await app.register(verifyJsonRoute, { verify, config });
  // Signing in and out needs no admin-auth: the session routes check the key or cookie themselves.
  await app.register(createSessionRoute, { verify, sessions, config });
  await app.register(deleteSessionRoute, { sessions, config });
  await app.register(async (api) => {
    await api.register(adminAuth, { db, verify, sessions, config });
    await api.register(createKeyRoute, { db, config });
    await api.register(listKeysRoute, { db, config });
    await api.register(getKeyRoute, { db });
    await api.register(updateKeyRoute, { db, config, invalidateKey });
    await api.register(revokeKeyRoute, { db, invalidateKey });
    await api.register(rotateKeyRoute, { db, config, invalidateKey });
    await api.register(keyUsageRoute, { db });
    await api.register(keyIpsRoute, { db });
    await api.register(orgUsageRoute, { db });
    await api.register(countriesRoute, { db });
    await api.register(alertsRoute, { db });
    await api.register(alertsPreviewRoute, { db });
    await api.register(getAlertSettingsRoute, { db });
    await api.register(putAlertSettingsRoute, { db, config });
    await api.register(createSilenceRoute, { db, config });
    await api.register(listSilencesRoute, { db });
    await api.register(liftSilenceRoute, { db });
    await api.register(webhookSecretRoute, { db });
  });
  return app;
}
