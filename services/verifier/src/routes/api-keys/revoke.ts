import { type Db, keyView } from '@keywatch/db';
import { revokeKey } from '@keywatch/key-lifecycle';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, problems } from '../../http/errors.ts';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, idParams, json } from '../../http/schema.ts';
import type { InvalidateKey } from '../../key-cache.ts';
import { callerOf } from '../../plugins/admin-auth.ts';
import { apiKeySchema, KEY } from './schemas.ts';

/** `DELETE /api/api-keys/:id`: revokes; every replica refuses the key within 1 s. */
export const revokeKeyRoute: FastifyPluginAsyncZod<{ db: Db; invalidateKey: InvalidateKey }> = async (
  app,
  { db, invalidateKey },
) => {
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
      const { orgId, keyId } = callerOf(request);
      const key = await revokeKey(db, orgId, request.params.id, keyId);
      if (!key) throw new ApiError(problems.notFound(KEY.resource));
      await invalidateKey(key.hash);
      return keyView(key);
    },
  );
};
