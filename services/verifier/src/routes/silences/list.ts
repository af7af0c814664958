import { type Db, silences } from '@keywatch/db';
import { and, eq, gt } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, json } from '../../http/schema.ts';
import { callerOf } from '../../plugins/admin-auth.ts';
import { keyset, pageFields, pageOf } from '../page.ts';
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
      const order = keyset('desc', silences.createdAt, silences.id, request.query);
      const selected = db
        .select({ row: silences, at: order.at })
        .from(silences)
        .where(and(eq(silences.orgId, callerOf(request).orgId), gt(silences.until, new Date()), order.where))
        .orderBy(...order.orderBy);
      const { rows, nextCursor } = order.page(await (order.fetch ? selected.limit(order.fetch) : selected));
      return { silences: rows.map(silenceView), nextCursor };
    },
  );
};
