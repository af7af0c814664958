import { keyView, updateKey } from '@keywatch/db';
import { describeIssues, errorBody, invalidRequest, keyPatchSchema } from '@keywatch/keys';
import type { FastifyInstance } from 'fastify';
import { destinationProblems } from '../../destination-policy.ts';
import { keyIdOr404, keyNotFound } from './params.ts';

/** `PATCH /api/api-keys/:id`: name, scopes, ipAllowlist, rateLimit, alerts; enforced everywhere within 1 s. */
export async function updateKeyRoute(app: FastifyInstance) {
  app.patch('/api/api-keys/:id', async (request, reply) => {
    const id = keyIdOr404(request, reply);
    if (!id) return reply;
    const patch = keyPatchSchema.safeParse(request.body);
    if (!patch.success) return reply.code(400).send(errorBody(invalidRequest(describeIssues(patch.error))));
    const refused = destinationProblems(patch.data, app.deps.config);
    if (refused.length > 0) return reply.code(400).send(errorBody(invalidRequest(refused)));
    const key = await updateKey(
      app.deps.database.db,
      request.caller.orgId,
      id,
      patch.data,
      request.caller.keyId,
    );
    if (!key) return keyNotFound(reply);
    await app.deps.invalidateKey(key.hash);
    return keyView(key);
  });
}
