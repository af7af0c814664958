import { type Db, listSilencesInForce } from '@keywatch/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, json } from '../../http/schema.ts';
import { callerOf } from '../../plugins/admin-auth.ts';
import { nextCursorOf, pageFields, pageOf, pageRequest } from '../page.ts';
import { silenceSchema, silenceView } from './schemas.ts';

/** `GET /api/silences[?limit=&cursor=]`: the silences in force, newest first. */
export const listSilencesRoute: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/silences',
    {
      schema: {
        summary: 'List silences',
        description: 'The silences in force, newest first.',
        tags: [TAGS.alerts],
        security: ADMIN_SECURITY,
        querystring: z.object(pageFields),
        response: {
          200: json('A page of silences', pageOf('silences', silenceSchema)),
          ...errors(400, ...adminErrors),
        },
      },
    },
    async (request) => {
      const { rows, next } = await listSilencesInForce(
        db,
        callerOf(request).orgId,
        pageRequest(request.query),
      );
      return { silences: rows.map(silenceView), nextCursor: nextCursorOf(next) };
    },
  );
};
