import { type Db, findOrgKey, keyView } from '@keywatch/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, problems } from '../../http/errors.ts';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, idParams, json } from '../../http/schema.ts';
import { callerOf } from '../../plugins/admin-auth.ts';
import { apiKeySchema, KEY } from './schemas.ts';

/** `GET /api/api-keys/:id`: never its secret or hash. */
export const getKeyRoute: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/api-keys/:id',
    {
      config: KEY,
      schema: {
        summary: 'Get a key',
        tags: [TAGS.keys],
        security: ADMIN_SECURITY,
        params: idParams,
        response: { 200: json('The key', apiKeySchema), ...errors(...adminErrors, 404) },
      },
    },
    async (request) => {
      const key = await findOrgKey(db, callerOf(request).orgId, request.params.id);
      if (!key) throw new ApiError(problems.notFound(KEY.resource));
      return keyView(key);
    },
  );
};
