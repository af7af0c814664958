import { errorBody } from '@keywatch/keys';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { rateLimitHeaders } from '../rate-limit.ts';
import { requestInfo } from '../request-info.ts';

export interface Caller {
  keyId: string;
  orgId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
}

/** Management and reports: a Bearer key with scope `admin`; the caller's org bounds what it sees. */
export const adminAuth = fp(async (app: FastifyInstance) => {
  app.decorateRequest('caller', null as unknown as Caller);
  app.addHook('onRequest', async (request, reply) => {
    const outcome = await app.deps.verify({
      credential: { header: request.headers.authorization },
      scope: 'admin',
      ...requestInfo(request),
    });
    if (outcome.ratelimit) rateLimitHeaders(reply, outcome.ratelimit);
    if (!outcome.ok) return reply.code(outcome.error.status).send(errorBody(outcome.error));
    request.caller = { keyId: outcome.key.id, orgId: outcome.key.orgId };
  });
});
