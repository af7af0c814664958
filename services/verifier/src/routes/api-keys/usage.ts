import { findOrgKey } from '@keywatch/db';
import { describeIssues, errorBody, invalidRequest, notFound } from '@keywatch/keys';
import type { FastifyInstance } from 'fastify';
import { resolveRange, usageQuery, usageReport } from '../../usage-report.ts';
import { keyIdParams } from './get.ts';

/** `GET /api/api-keys/:id/usage?from=&to=&granularity=minute|hour|day` */
export async function usageRoute(app: FastifyInstance) {
  app.get('/api/api-keys/:id/usage', async (request, reply) => {
    const params = keyIdParams.safeParse(request.params);
    const key =
      params.success && (await findOrgKey(app.deps.database.db, request.caller.orgId, params.data.id));
    if (!key) return reply.code(404).send(errorBody(notFound('API key')));
    const query = usageQuery.safeParse(request.query);
    if (!query.success) return reply.code(400).send(errorBody(invalidRequest(describeIssues(query.error))));
    const range = resolveRange(query.data, key.createdAt, new Date());
    if ('problem' in range) return reply.code(400).send(errorBody(invalidRequest([range.problem])));
    return usageReport(app.deps.database.db, key.id, key.lastUsedAt, range);
  });
}
