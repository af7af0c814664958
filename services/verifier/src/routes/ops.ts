import type { FastifyInstance } from 'fastify';

export async function opsRoutes(app: FastifyInstance) {
  app.get('/healthz', async (_request, reply) => {
    try {
      await app.deps.database.sql`select 1`;
      return { ok: true, checks: { postgres: 'ok' } };
    } catch {
      return reply.code(503).send({ ok: false, checks: { postgres: 'failing' } });
    }
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', app.deps.metrics.contentType);
    return app.deps.metrics.metrics();
  });
}
