import { type Db, orgCreatedAt } from '@keywatch/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { TAGS } from '../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors } from '../http/schema.ts';
import { callerOf } from '../plugins/admin-auth.ts';
import { orgUsageQuery, orgUsageReport, resolveRange } from '../usage-report.ts';
import { orgUsageReportSchema, sendUsage, usageResponse } from './usage-reply.ts';

/** `GET /api/usage?from=&to=&granularity=`: every key of the caller's org, plus the org's totals. */
export const orgUsageRoute: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/usage',
    {
      schema: {
        summary: 'The org’s usage',
        description:
          'Every key’s usage and the org’s totals; `from` defaults to the org’s creation, `to` to now. A range holding too many buckets is refused (400): narrow it.',
        tags: [TAGS.reports],
        security: ADMIN_SECURITY,
        querystring: orgUsageQuery,
        response: { 200: usageResponse(orgUsageReportSchema), ...errors(400, ...adminErrors) },
      },
    },
    async (request, reply) => {
      const { orgId } = callerOf(request);
      const createdAt = await orgCreatedAt(db, orgId);
      const range = resolveRange(request.query, createdAt!, new Date());
      const { detail, top } = request.query;
      const report = await orgUsageReport(db, orgId, range, { detail, top });
      const total = { keyId: 'total', series: report.totals.series };
      return sendUsage(request, reply, report, {
        filename: `usage-${range.from.toISOString().slice(0, 10)}.csv`,
        rows: report.keys.length > 1 ? [...report.keys, total] : report.keys,
      });
    },
  );
};
