import { type Db, findOrgKey, keyDistinctIpsPerHour } from '@keywatch/db';
import { DAY_MS } from '@keywatch/rules';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError, problems } from '../../http/errors.ts';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, idParams, json } from '../../http/schema.ts';
import { callerOf } from '../../plugins/admin-auth.ts';
import { rangeQuery, resolveRange } from '../../usage-report.ts';
import { KEY } from './schemas.ts';

/** What the aggregator keeps of client IPs (its retention of key_hourly_ips), and so the default range. */
const KEPT_MS = 8 * DAY_MS;

const ipsSchema = z
  .object({
    keyId: z.uuid(),
    series: z.array(
      z.object({ t: z.iso.datetime().describe('Start of the UTC hour'), distinctIps: z.number().int() }),
    ),
  })
  .meta({
    id: 'DistinctIps',
    description: 'Distinct client IPs per UTC hour (hours without use are left out)',
    examples: [
      {
        keyId: '7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f',
        series: [{ t: '2026-11-29T15:00:00.000Z', distinctIps: 3 }],
      },
    ],
  });

/** `GET /api/api-keys/:id/ips?from=&to=`: distinct client IPs per hour, for the last 8 days at most. */
export const keyIpsRoute: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/api-keys/:id/ips',
    {
      config: KEY,
      schema: {
        summary: 'A key’s distinct IPs per hour',
        description: `Distinct client IPs per UTC hour; kept for ${KEPT_MS / 86_400_000} days, the default range.`,
        tags: [TAGS.reports],
        security: ADMIN_SECURITY,
        params: idParams,
        querystring: rangeQuery({}),
        response: { 200: json('Distinct IPs per hour', ipsSchema), ...errors(400, ...adminErrors, 404) },
      },
    },
    async (request) => {
      const key = await findOrgKey(db, callerOf(request).orgId, request.params.id);
      if (!key) throw new ApiError(problems.notFound(KEY.resource));
      const now = new Date();
      const kept = new Date(Math.max(key.createdAt.getTime(), now.getTime() - KEPT_MS));
      const range = resolveRange({ ...request.query, granularity: 'hour' }, kept, now);
      const series = await keyDistinctIpsPerHour(db, key.id, range);
      return { keyId: key.id, series };
    },
  );
};
