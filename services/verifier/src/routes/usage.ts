import { orgs } from '@keywatch/db';
import { describeIssues, errorBody, invalidRequest } from '@keywatch/keys';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { orgUsageReport, ReportTooLargeError, resolveRange, usageQuery } from '../usage-report.ts';
import { sendUsage } from './usage-reply.ts';

/** `GET /api/usage?from=&to=&granularity=`: every key of the caller's org, plus the org's totals. */
export async function orgUsageRoute(app: FastifyInstance) {
  app.get('/api/usage', async (request, reply) => {
    const query = usageQuery.safeParse(request.query);
    if (!query.success) return reply.code(400).send(errorBody(invalidRequest(describeIssues(query.error))));
    const db = app.deps.database.db;
    const [org] = await db
      .select({ createdAt: orgs.createdAt })
      .from(orgs)
      .where(eq(orgs.id, request.caller.orgId));
    const range = resolveRange(query.data, org!.createdAt, new Date());
    if ('problem' in range) return reply.code(400).send(errorBody(invalidRequest([range.problem])));
    let report: Awaited<ReturnType<typeof orgUsageReport>>;
    try {
      report = await orgUsageReport(db, request.caller.orgId, range);
    } catch (err) {
      if (!(err instanceof ReportTooLargeError)) throw err;
      return reply.code(400).send(errorBody(invalidRequest([err.message])));
    }
    const total = { keyId: 'total', series: report.totals.series };
    return sendUsage(request, reply, report, {
      filename: `usage-${range.from.toISOString().slice(0, 10)}.csv`,
      rows: report.keys.length > 1 ? [...report.keys, total] : report.keys,
    });
  });
}
