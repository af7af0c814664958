import type { Config } from '@keywatch/config';
import { type Db, keyView } from '@keywatch/db';
import { issueKey } from '@keywatch/key-lifecycle';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type DestinationConfig, destinationProblems } from '../../destination-policy.ts';
import { ApiError, problems } from '../../http/errors.ts';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, json } from '../../http/schema.ts';
import { callerOf } from '../../plugins/admin-auth.ts';
import { issuedKeySchema, newApiKeySchema } from './schemas.ts';

/** `POST /api/api-keys`: a new key in the caller's org; the secret is in this answer only. */
export const createKeyRoute: FastifyPluginAsyncZod<{
  db: Db;
  config: DestinationConfig & Pick<Config, 'ORG_MAX_KEYS'>;
}> = async (app, { db, config }) => {
  app.post(
    '/api/api-keys',
    {
      schema: {
        summary: 'Create a key',
        description: 'Issues a key in the caller’s org. Its secret is in this answer and nowhere else.',
        tags: [TAGS.keys],
        security: ADMIN_SECURITY,
        body: newApiKeySchema,
        response: {
          201: json('The key, with its secret', issuedKeySchema),
          ...errors(400, ...adminErrors, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const refused = destinationProblems(request.body, config);
      if (refused.length > 0) throw new ApiError(problems.invalidRequest(refused));
      // The CLI issues uncapped: it is the operator's own tool, on Postgres directly, not a tenant's.
      const caller = callerOf(request);
      const { key, secret } = await issueKey(
        db,
        caller.orgId,
        request.body,
        caller.keyId,
        config.ORG_MAX_KEYS,
      );
      request.log.info({ keyId: key.id, by: caller.keyId }, 'api key created');
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ ...keyView(key), key: secret });
    },
  );
};
