import { keyView, revokeKey } from '@keywatch/db';
import type { FastifyInstance } from 'fastify';
import { keyIdOr404, keyNotFound } from './params.ts';

/** `DELETE /api/api-keys/:id`: revokes; every replica refuses the key within 1 s. */
export async function revokeKeyRoute(app: FastifyInstance) {
  app.delete('/api/api-keys/:id', async (request, reply) => {
    const id = keyIdOr404(request, reply);
    if (!id) return reply;
    const key = await revokeKey(app.deps.database.db, request.caller.orgId, id, request.caller.keyId);
    if (!key) return keyNotFound(reply);
    await app.deps.invalidateKey(key.hash);
    return keyView(key);
  });
}
