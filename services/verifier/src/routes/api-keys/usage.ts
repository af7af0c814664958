import { findOrgKey } from '@keywatch/db';
import { describeIssues, errorBody, invalidRequest } from '@keywatch/keys';
import type { FastifyInstance } from 'fastify';
import { resolveRange, usageQuery, usageReport } from '../../usage-report.ts';
import { sendUsage } from '../usage-reply.ts';
import { keyIdOr404, keyNotFound } from './params.ts';

/** `GET /api/api-keys/:id/usage?from=&to=&granularity=minute|hour|day` */
export async function usageRoute(app: FastifyInstance) {
  app.get('/api/api-keys/:id/usage', async (request, reply) => {
    const id = keyIdOr404(request, reply);
    if (!id) return reply;
    const key = await findOrgKey(app.deps.database.db, request.caller.orgId, id);
    if (!key) return keyNotFound(reply);
    const query = usageQuery.safeParse(request.query);
    if (!query.success) return reply.code(400).send(errorBody(invalidRequest(describeIssues(query.error))));
    const range = resolveRange(query.data, key.createdAt, new Date());
    if ('problem' in range) return reply.code(400).send(errorBody(invalidRequest([range.problem])));
    const report = await usageReport(app.deps.database.db, key.id, range);
    return sendUsage(request, reply, report, { filename: `usage-${key.id}.csv`, rows: [report] });
  });
}
