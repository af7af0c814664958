import { issueKey, keyView } from '@keywatch/db';
import { describeIssues, errorBody, invalidRequest, newKeySchema } from '@keywatch/keys';
import type { FastifyInstance } from 'fastify';

/** `POST /api/api-keys`: a new key in the caller's org; the secret is in this answer only. */
export async function createKeyRoute(app: FastifyInstance) {
  app.post('/api/api-keys', async (request, reply) => {
    const parsed = newKeySchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(errorBody(invalidRequest(describeIssues(parsed.error))));
    const { key, secret } = await issueKey(
      app.deps.database.db,
      request.caller.orgId,
      parsed.data,
      request.caller.keyId,
    );
    request.log.info({ keyId: key.id, by: request.caller.keyId }, 'api key created');
    return reply.code(201).send({ ...keyView(key), key: secret });
  });
}
