import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError, problems } from '../http/errors.ts';
import { rateLimitHeaders } from '../rate-limit.ts';
import { requestInfo } from '../request-info.ts';
import { unavailableHeaders } from '../unavailable.ts';

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
      scopes: ['admin'],
      ...requestInfo(request, app.trustedProxies),
    });
    if (outcome.ratelimit) rateLimitHeaders(reply, outcome.ratelimit);
    if (!outcome.ok && outcome.code === 'UNAVAILABLE') unavailableHeaders(reply);
    if (!outcome.ok) throw new ApiError(outcome.problem);
    // A rotated-out key keeps serving its clients through the grace period, but may no longer
    // manage: rotating a leaked admin key must cut the leak off from minting new keys.
    if (outcome.key.rotatedAt) throw new ApiError(problems.keyRotated());
    request.caller = { keyId: outcome.key.id, orgId: outcome.key.orgId };
  });
});
