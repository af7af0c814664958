import { keyView, OrgLimitError, orLimitError, rotateKey } from '@keywatch/db';
import { conflict, describeIssues, errorBody, invalidRequest, rotateSchema } from '@keywatch/keys';
import type { FastifyInstance } from 'fastify';
import { keyIdOr404, keyNotFound } from './params.ts';

const CONFLICTS = {
  revoked: 'a revoked key cannot be rotated',
  already_rotated: 'this key was already rotated; rotate its successor',
} as const;

/** `POST /api/api-keys/:id/rotate` `{ gracePeriod? }` → 201 with the new key's secret. */
export async function rotateKeyRoute(app: FastifyInstance) {
  app.post('/api/api-keys/:id/rotate', async (request, reply) => {
    const id = keyIdOr404(request, reply);
    if (!id) return reply;
    const body = rotateSchema.safeParse(request.body ?? {});
    if (!body.success) return reply.code(400).send(errorBody(invalidRequest(describeIssues(body.error))));
    const result = await orLimitError(
      rotateKey(app.deps.database.db, request.caller.orgId, id, body.data.gracePeriod, request.caller.keyId, {
        maxLiveKeys: app.deps.config.ORG_MAX_KEYS,
      }),
    );
    if (result instanceof OrgLimitError) return reply.code(409).send(errorBody(conflict(result.message)));
    if (!result.ok) {
      if (result.reason === 'not_found') return keyNotFound(reply);
      return reply.code(409).send(errorBody(conflict(CONFLICTS[result.reason])));
    }
    await app.deps.invalidateKey(result.old.hash); // its expiry moved to the end of the grace period
    return reply.code(201).send({ ...keyView(result.issued.key), key: result.issued.secret });
  });
}
