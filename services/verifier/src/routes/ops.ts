import type { Database } from '@keywatch/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { TAGS } from '../http/openapi.ts';

const health = z.object({ ok: z.boolean(), checks: z.object({ postgres: z.enum(['ok', 'failing']) }) }).meta({
  id: 'Health',
  description: 'Whether the verifier can serve',
  examples: [{ ok: true, checks: { postgres: 'ok' } }],
});

const metricsText = z.string().meta({
  description: 'Prometheus text exposition',
  examples: ['# HELP keywatch_verifications_total Verifications by result code\n'],
});

/** `GET /healthz` and `GET /metrics`: for orchestrators and Prometheus, without a key. */
export const opsRoutes: FastifyPluginAsyncZod<{ sql: Database['sql']; metrics: Registry }> = async (
  app,
  { sql, metrics },
) => {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Health',
        tags: [TAGS.operations],
        response: {
          200: { description: 'Serving', content: { 'application/json': { schema: health } } },
          503: {
            description: 'Postgres cannot be reached',
            content: { 'application/json': { schema: health } },
          },
        },
      },
    },
    async (_request, reply) => {
      try {
        await sql`select 1`;
        return { ok: true, checks: { postgres: 'ok' as const } };
      } catch {
        return reply.code(503).send({ ok: false, checks: { postgres: 'failing' } });
      }
    },
  );
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Metrics',
        tags: [TAGS.operations],
        response: {
          200: { description: 'The verifier’s metrics', content: { 'text/plain': { schema: metricsText } } },
        },
      },
    },
    async (_request, reply) => {
      reply.header('content-type', metrics.contentType);
      return metrics.metrics();
    },
  );
};
