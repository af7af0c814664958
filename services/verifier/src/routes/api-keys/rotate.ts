import type { Config } from '@keywatch/config';
import { type Db, keyView } from '@keywatch/db';
import { rotateKey } from '@keywatch/key-lifecycle';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, problems } from '../../http/errors.ts';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, idParams, json } from '../../http/schema.ts';
import type { InvalidateKey } from '../../key-cache.ts';
import { callerOf } from '../../plugins/admin-auth.ts';
import { issuedKeySchema, KEY, rotationSchema } from './schemas.ts';

const REFUSED = {
  not_found: problems.notFound(KEY.resource),
  revoked: problems.conflict('a revoked key cannot be rotated'),
  already_rotated: problems.conflict('this key was already rotated; rotate its successor'),
} as const;

/** `POST /api/api-keys/:id/rotate` `{ gracePeriod? }` → 201 with the new key's secret. */
export const rotateKeyRoute: FastifyPluginAsyncZod<{
  db: Db;
  config: Pick<Config, 'ORG_MAX_KEYS'>;
  invalidateKey: InvalidateKey;
}> = async (app, { db, config, invalidateKey }) => {
  app.post(
    '/api/api-keys/:id/rotate',
    {
      config: KEY,
      schema: {
        summary: 'Rotate a key',
        description:
          'Issues a successor with the same settings; the old key keeps working through the grace period, then expires.',
        tags: [TAGS.keys],
        security: ADMIN_SECURITY,
        params: idParams,
        body: rotationSchema.nullish(),
        response: {
          201: json('The successor, with its secret', issuedKeySchema),
          ...errors(400, ...adminErrors, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const { orgId, keyId } = callerOf(request);
      // No body: the defaults (Fastify gives null for an empty request).
      const { gracePeriod } = request.body ?? rotationSchema.parse({});
      const result = await rotateKey(db, orgId, request.params.id, gracePeriod, keyId, {
        maxLiveKeys: config.ORG_MAX_KEYS,
      });
      if (!result.ok) throw new ApiError(REFUSED[result.reason]);
      await invalidateKey(result.old.hash); // its expiry moved to the end of the grace period
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ ...keyView(result.issued.key), key: result.issued.secret });
    },
  );
};
