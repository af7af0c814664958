import { issueKey, keyView, OrgLimitError, orLimitError } from '@keywatch/db';
import { conflict, describeIssues, errorBody, invalidRequest, newKeySchema } from '@keywatch/keys';
import type { FastifyInstance } from 'fastify';
import { destinationProblems } from '../../destination-policy.ts';

/** `POST /api/api-keys`: a new key in the caller's org; the secret is in this answer only. */
export async function createKeyRoute(app: FastifyInstance) {
  app.post('/api/api-keys', async (request, reply) => {
    const parsed = newKeySchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(errorBody(invalidRequest(describeIssues(parsed.error))));
    const refused = destinationProblems(parsed.data, app.deps.config);
    if (refused.length > 0) return reply.code(400).send(errorBody(invalidRequest(refused)));
    // The CLI issues uncapped: it is the operator's own tool, on Postgres directly, not a tenant's.
    const issued = await orLimitError(
      issueKey(
        app.deps.database.db,
        request.caller.orgId,
        parsed.data,
        request.caller.keyId,
        app.deps.config.ORG_MAX_KEYS,
      ),
    );
    if (issued instanceof OrgLimitError) return reply.code(409).send(errorBody(conflict(issued.message)));
    const { key, secret } = issued;
    request.log.info({ keyId: key.id, by: request.caller.keyId }, 'api key created');
    return reply.code(201).send({ ...keyView(key), key: secret });
  });
}
