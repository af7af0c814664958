import type { Config } from '@keywatch/config';
import { type Db, keyView, listOrgKeys } from '@keywatch/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, json } from '../../http/schema.ts';
import { callerOf } from '../../plugins/admin-auth.ts';
import { nextCursorOf, pageFields, pageOf, pageRequest } from '../page.ts';
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
      const { rotationDue: wanted, ...page } = request.query;
      const { rows, next } = await listOrgKeys(
        db,
        callerOf(request).orgId,
        {
          rotationDue: wanted === undefined ? undefined : wanted === 'true',
          maxAgeDays: config.ROTATION_MAX_AGE_DAYS,
        },
        pageRequest(page),
      );
      return { keys: rows.map(keyView), nextCursor: nextCursorOf(next) };
    },
  );
};
