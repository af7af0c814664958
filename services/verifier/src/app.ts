import type { BlockList } from 'node:net';
import type { Config } from '@keywatch/config';
import type { Database } from '@keywatch/db';
import { errorBody, invalidRequest, notFound, serviceUnavailable } from '@keywatch/keys';
import type { Logger } from '@keywatch/log';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Registry } from 'prom-client';
import { networkList } from './client-ip.ts';
import { adminAuth } from './plugins/admin-auth.ts';
import { safePath } from './request-info.ts';
import { alertSettingsRoutes } from './routes/alert-settings.ts';
import { alertsRoute } from './routes/alerts.ts';
import { createKeyRoute } from './routes/api-keys/create.ts';
import { getKeyRoutes } from './routes/api-keys/get.ts';
import { revokeKeyRoute } from './routes/api-keys/revoke.ts';
import { rotateKeyRoute } from './routes/api-keys/rotate.ts';
import { updateKeyRoute } from './routes/api-keys/update.ts';
import { usageRoute } from './routes/api-keys/usage.ts';
import { authRoute } from './routes/auth.ts';
import { opsRoutes } from './routes/ops.ts';
import { silenceRoutes } from './routes/silences.ts';
import { orgUsageRoute } from './routes/usage.ts';
import { verifyRoute } from './routes/verify.ts';
import { webhookSecretRoute } from './routes/webhook-secret.ts';
import { isStoreUnreachable, unavailableHeaders } from './unavailable.ts';
import type { Verify } from './verification.ts';

export interface VerifierDeps {
  config: Config;
  log: Logger;
  database: Database;
  metrics: Registry;
  verify: Verify;
  /** Forgets a changed key here at once; other replicas follow key_changes (within 1 s). */
  invalidateKey: (hash: string) => Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: VerifierDeps;
    trustedProxies: BlockList;
  }
}

/** The verifier's HTTP surface; each route registers what it needs, this only wires them. */
export async function buildApp(deps: VerifierDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is Fastify's logger; the cast only bridges their declared generics.
    loggerInstance: deps.log as FastifyBaseLogger,
    // Per-request log lines would cost more than a verification; failures are logged where they happen.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // X-Forwarded-For is read by our own trusted-proxy rule (client-ip.ts), not Fastify's.
    trustProxy: false,
  });
  app.decorate('deps', deps);
  app.decorate('trustedProxies', networkList(deps.config.TRUSTED_PROXIES));

  app.setErrorHandler((err: { statusCode?: number; message: string }, request, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(400).send(errorBody(invalidRequest([`body: ${err.message}`])));
    }
    if (isStoreUnreachable(err)) {
      request.log.warn({ err, path: safePath(request.url) }, 'Postgres unreachable');
      return unavailableHeaders(reply).code(503).send(errorBody(serviceUnavailable()));
    }
    request.log.error({ err, path: safePath(request.url) }, 'request failed');
    return reply
      .code(500)
      .send({ error: { code: 'internal_error', message: 'Internal server error' }, status: 500 });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody(notFound(`route ${request.method} ${request.url.split('?')[0]}`))),
  );

  await app.register(opsRoutes);
  await app.register(authRoute);
  await app.register(verifyRoute);
  await app.register(async (api) => {
    await api.register(adminAuth);
    await api.register(createKeyRoute);
    await api.register(getKeyRoutes);
    await api.register(updateKeyRoute);
    await api.register(revokeKeyRoute);
    await api.register(rotateKeyRoute);
    await api.register(usageRoute);
    await api.register(orgUsageRoute);
    await api.register(alertsRoute);
    await api.register(alertSettingsRoutes);
    await api.register(silenceRoutes);
    await api.register(webhookSecretRoute);
  });
  return app;
}
