import { type Db, findOrgKey } from '@keywatch/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, problems } from '../../http/errors.ts';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, idParams } from '../../http/schema.ts';
import { callerOf } from '../../plugins/admin-auth.ts';
import { resolveRange, usageQuery, usageReport } from '../../usage-report.ts';
import { sendUsage, usageReportSchema, usageResponse } from '../usage-reply.ts';
import { KEY } from './schemas.ts';

/** `GET /api/api-keys/:id/usage?from=&to=&granularity=minute|hour|day` */
export const keyUsageRoute: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/api-keys/:id/usage',
    {
      config: KEY,
      schema: {
        summary: 'A key’s usage',
        description:
          'Counts, failure reasons, countries and a series by minute, hour or day; `from` defaults to the key’s creation, `to` to now.',
        tags: [TAGS.reports],
        security: ADMIN_SECURITY,
        params: idParams,
        querystring: usageQuery,
        response: { 200: usageResponse(usageReportSchema), ...errors(400, ...adminErrors, 404) },
      },
    },
    async (request, reply) => {
      const key = await findOrgKey(db, callerOf(request).orgId, request.params.id);
      if (!key) throw new ApiError(problems.notFound(KEY.resource));
      const range = resolveRange(request.query, key.createdAt, new Date());
      const report = await usageReport(db, key.id, range);
      return sendUsage(request, reply, report, { filename: `usage-${key.id}.csv`, rows: [report] });
    },
  );
};
