import { type Db, silences } from '@keywatch/db';
import { and, eq, gt } from 'drizzle-orm';
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
      const now = new Date();
      const [lifted] = await db
        .update(silences)
        .set({ until: now })
        .where(
          and(
            eq(silences.id, request.params.id),
            eq(silences.orgId, callerOf(request).orgId),
            gt(silences.until, now),
          ),
        )
        .returning();
      if (!lifted) throw new ApiError(problems.notFound(SILENCE.resource));
      return silenceView(lifted);
    },
  );
};
