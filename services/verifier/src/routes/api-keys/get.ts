import { apiKeys, findOrgKey, keyView } from '@keywatch/db';
import { errorBody, notFound } from '@keywatch/keys';
import { desc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

export const keyIdParams = z.object({ id: z.uuid() });

/** `GET /api/api-keys` and `GET /api/api-keys/:id`: the caller's org's keys, never secrets or hashes. */
export async function getKeyRoutes(app: FastifyInstance) {
  app.get('/api/api-keys', async (request) => {
    const rows = await app.deps.database.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.orgId, request.caller.orgId))
      .orderBy(desc(apiKeys.createdAt));
    return { keys: rows.map(keyView) };
  });

  app.get('/api/api-keys/:id', async (request, reply) => {
    const params = keyIdParams.safeParse(request.params);
    const key =
      params.success && (await findOrgKey(app.deps.database.db, request.caller.orgId, params.data.id));
    if (!key) return reply.code(404).send(errorBody(notFound('API key')));
    return keyView(key);
  });
}
