import { type Db, liftSilence } from '@keywatch/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, problems } from '../../http/errors.ts';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, idParams, json } from '../../http/schema.ts';
import { callerOf } from '../../plugins/admin-auth.ts';
import { SILENCE, silenceSchema, silenceView } from './schemas.ts';

/** `DELETE /api/silences/:id`: lifts a silence in force (it ends now). */
export const liftSilenceRoute: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.delete(
    '/api/silences/:id',
    {
      config: SILENCE,
      schema: {
        summary: 'Lift a silence',
        description: 'The silence ends now; a silence already over is not found.',
        tags: [TAGS.alerts],
        security: ADMIN_SECURITY,
        params: idParams,
        response: { 200: json('The lifted silence', silenceSchema), ...errors(...adminErrors, 404) },
      },
    },
    async (request) => {
      const lifted = await liftSilence(db, callerOf(request).orgId, request.params.id);
      if (!lifted) throw new ApiError(problems.notFound(SILENCE.resource));
      return silenceView(lifted);
    },
  );
};
