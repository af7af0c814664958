import type { Config } from '@keywatch/config';
import { apiKeys, type Db, keyView } from '@keywatch/db';
import { isPastRotationDateSql } from '@keywatch/rules';
import { and, eq, not } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, json } from '../../http/schema.ts';
import { callerOf } from '../../plugins/admin-auth.ts';
import { keyset, pageFields, pageOf } from '../page.ts';
import { apiKeySchema } from './schemas.ts';

const query = z.object({
  rotationDue: z
    .enum(['true', 'false'])
    .optional()
    .describe('`true`: only the live keys past their rotation date, oldest first; `false`: all others'),
  ...pageFields,
});

/** `GET /api/api-keys[?rotationDue=&limit=&cursor=]`: never secrets or hashes. */
export const listKeysRoute: FastifyPluginAsyncZod<{
  db: Db;
  config: Pick<Config, 'ROTATION_MAX_AGE_DAYS'>;
}> = async (app, { db, config }) => {
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
      const due = isPastRotationDateSql(apiKeys, new Date(), config.ROTATION_MAX_AGE_DAYS);
      const { rotationDue: wanted, ...page } = request.query;
      const order = keyset(wanted === 'true' ? 'asc' : 'desc', apiKeys.createdAt, apiKeys.id, page);
      const selected = db
        .select({ row: apiKeys, at: order.at })
        .from(apiKeys)
        .where(
          and(
            eq(apiKeys.orgId, callerOf(request).orgId),
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
