import { apiKeys, findOrgKey, keyView } from '@keywatch/db';
import { desc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { keyIdOr404, keyNotFound } from './params.ts';

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
    const id = keyIdOr404(request, reply);
    if (!id) return reply;
    const key = await findOrgKey(app.deps.database.db, request.caller.orgId, id);
    return key ? keyView(key) : keyNotFound(reply);
  });
}
