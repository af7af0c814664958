import { keyView, revokeKey } from '@keywatch/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, problems } from '../../http/errors.ts';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, idParams, json } from '../../http/schema.ts';
import { apiKeySchema, KEY } from './schemas.ts';

/** `DELETE /api/api-keys/:id`: revokes; every replica refuses the key within 1 s. */
export const revokeKeyRoute: FastifyPluginAsyncZod = async (app) => {
  app.delete(
    '/api/api-keys/:id',
    {
      config: KEY,
      schema: {
        summary: 'Revoke a key',
        description:
          'The key fails verification on every replica within 1 s. Revoking again answers the same.',
        tags: [TAGS.keys],
        security: ADMIN_SECURITY,
        params: idParams,
        response: { 200: json('The revoked key', apiKeySchema), ...errors(...adminErrors, 404) },
      },
    },
    async (request) => {
      const { orgId, keyId } = request.caller;
      const key = await revokeKey(app.deps.database.db, orgId, request.params.id, keyId);
      if (!key) throw new ApiError(problems.notFound(KEY.resource));
      await app.deps.invalidateKey(key.hash);
      return keyView(key);
    },
  );
};
