import { findOrgKey, keyView } from '@keywatch/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, problems } from '../../http/errors.ts';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, idParams, json } from '../../http/schema.ts';
import { apiKeySchema, KEY } from './schemas.ts';

/** `GET /api/api-keys/:id`: never its secret or hash. */
export const getKeyRoute: FastifyPluginAsyncZod = async (app) => {
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
      const key = await findOrgKey(app.deps.database.db, request.caller.orgId, request.params.id);
      if (!key) throw new ApiError(problems.notFound(KEY.resource));
      return keyView(key);
    },
  );
};
