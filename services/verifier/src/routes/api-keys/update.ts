import { type Db, keyView } from '@keywatch/db';
import { updateKey } from '@keywatch/key-lifecycle';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type DestinationConfig, destinationProblems } from '../../destination-policy.ts';
import { ApiError, problems } from '../../http/errors.ts';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, idParams, json } from '../../http/schema.ts';
import type { InvalidateKey } from '../../key-cache.ts';
import { callerOf } from '../../plugins/admin-auth.ts';
import { apiKeyPatchSchema, apiKeySchema, KEY } from './schemas.ts';

/** `PATCH /api/api-keys/:id`: name, scopes, ipAllowlist, rateLimit, alerts; enforced everywhere within 1 s. */
export const updateKeyRoute: FastifyPluginAsyncZod<{
  db: Db;
  config: DestinationConfig;
  invalidateKey: InvalidateKey;
}> = async (app, { db, config, invalidateKey }) => {
  app.patch(
    '/api/api-keys/:id',
    {
      config: KEY,
      schema: {
        summary: 'Change a key',
        description:
          'Changes name, scopes, allowlist, rate limit or alert settings; enforced everywhere within 1 s.',
        tags: [TAGS.keys],
        security: ADMIN_SECURITY,
        params: idParams,
        body: apiKeyPatchSchema,
        response: {
          200: json('The changed key', apiKeySchema),
          ...errors(400, ...adminErrors, 404, 413, 415),
        },
      },
    },
    async (request) => {
      const refused = destinationProblems(request.body, config);
      if (refused.length > 0) throw new ApiError(problems.invalidRequest(refused));
      const { orgId, keyId } = callerOf(request);
      const key = await updateKey(db, orgId, request.params.id, request.body, keyId);
      if (!key) throw new ApiError(problems.notFound(KEY.resource));
      await invalidateKey(key.hash);
      return keyView(key);
    },
  );
};
