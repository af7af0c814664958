import type { Config } from '@keywatch/config';
import { createSilence, type Db, findOrgKey } from '@keywatch/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, problems } from '../../http/errors.ts';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, json } from '../../http/schema.ts';
import { callerOf } from '../../plugins/admin-auth.ts';
import { KEY } from '../api-keys/schemas.ts';
import { newSilenceSchema, silenceSchema, silenceView } from './schemas.ts';

/** `POST /api/silences` `{ keyId?, rule?, until, reason }`: mutes matching notifications; the alerts are still recorded. */
export const createSilenceRoute: FastifyPluginAsyncZod<{
  db: Db;
  config: Pick<Config, 'ORG_MAX_SILENCES'>;
}> = async (app, { db, config }) => {
  app.post(
    '/api/silences',
    {
      schema: {
        summary: 'Silence alerts',
        description:
          'Mutes the notifications of matching alerts until `until`; the alerts are still recorded.',
        tags: [TAGS.alerts],
        security: ADMIN_SECURITY,
        body: newSilenceSchema,
        response: {
          201: json('The silence', silenceSchema),
          ...errors(400, ...adminErrors, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const { keyId, rule, until, reason } = request.body;
      const { orgId, keyId: by } = callerOf(request);
      if (keyId && !(await findOrgKey(db, orgId, keyId))) throw new ApiError(problems.notFound(KEY.resource));
      const created = await createSilence(
        db,
        { orgId, keyId: keyId ?? null, rule: rule ?? null, until, reason, createdBy: by },
        config.ORG_MAX_SILENCES,
      );
      return reply.code(201).send(silenceView(created));
    },
  );
};
