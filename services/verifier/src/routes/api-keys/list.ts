import { apiKeys, keyView } from '@keywatch/db';
import { and, eq, gt, isNull, not, or, type SQL, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, json } from '../../http/schema.ts';
import { keyset, pageFields, pageOf } from '../page.ts';
import { apiKeySchema } from './schemas.ts';

/**
 * Live keys past their rotation date: flagged by the scan or, before the day's scan, old enough
 * (the same rule as the X-Key-Rotation-Due header).
 */
function rotationDue(maxAgeDays: number, now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  return and(
    isNull(apiKeys.revokedAt),
    isNull(apiKeys.rotatedAt),
    or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
    sql`coalesce(${apiKeys.rotationDueAt}, ${apiKeys.createdAt} + ${maxAgeDays} * interval '24 hours') < ${at}`,
  )!;
}

const query = z.object({
  rotationDue: z
    .enum(['true', 'false'])
    .optional()
    .describe('`true`: only the live keys past their rotation date, oldest first; `false`: all others'),
  ...pageFields,
});

/** `GET /api/api-keys[?rotationDue=&limit=&cursor=]`: never secrets or hashes. */
export const listKeysRoute: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/api-keys',
    {
      schema: {
        summary: 'List keys',
        description: 'The org’s keys, newest first (with `rotationDue=true`, oldest first).',
        tags: [TAGS.keys],
        security: ADMIN_SECURITY,
        querystring: query,
        response: {
          200: json('A page of keys', pageOf('keys', apiKeySchema)),
          ...errors(400, ...adminErrors),
        },
      },
    },
    async (request) => {
      const due = rotationDue(app.deps.config.ROTATION_MAX_AGE_DAYS, new Date());
      const { rotationDue: wanted, ...page } = request.query;
      const order = keyset(wanted === 'true' ? 'asc' : 'desc', apiKeys.createdAt, apiKeys.id, page);
      const selected = app.deps.database.db
        .select({ row: apiKeys, at: order.at })
        .from(apiKeys)
        .where(
          and(
            eq(apiKeys.orgId, request.caller.orgId),
            wanted === 'true' ? due : wanted === 'false' ? not(due) : undefined,
            order.where,
          ),
        )
        .orderBy(...order.orderBy);
      const { rows, nextCursor } = order.page(await (order.fetch ? selected.limit(order.fetch) : selected));
      return { keys: rows.map(keyView), nextCursor };
    },
  );
};
