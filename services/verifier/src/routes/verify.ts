import { describeIssues, errorBody, invalidRequest, requiredScopes } from '@keywatch/keys';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { keyNoticeHeaders } from '../key-notices.ts';
import { requestInfo } from '../request-info.ts';
import { unavailableHeaders } from '../unavailable.ts';

const verifyBody = z.object({
  key: z.string().min(1).max(512),
  scope: z.string().min(1).max(1000).optional(),
  // Claims about the client: taken only from TRUSTED_PROXIES (see requestInfo).
  ip: z.union([z.ipv4(), z.ipv6()]).optional(),
  method: z.string().max(16).optional(),
  path: z.string().max(2048).optional(),
});

/** JSON verification for application servers: always 200 with the verdict, 400 for a bad body. */
export async function verifyRoute(app: FastifyInstance) {
  app.post('/v1/verify', async (request, reply) => {
    const parsed = verifyBody.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(errorBody(invalidRequest(describeIssues(parsed.error))));
    const { key: secret, scope, ...claims } = parsed.data;
    const outcome = await app.deps.verify({
      credential: { secret },
      scopes: requiredScopes(scope),
      ...requestInfo(request, app.trustedProxies, claims),
    });
    if (!outcome.ok && outcome.code === 'UNAVAILABLE') {
      return unavailableHeaders(reply).code(503).send(errorBody(outcome.error));
    }
    const key = outcome.key;
    if (outcome.ok) keyNoticeHeaders(reply, outcome.key, app.deps.config.ROTATION_MAX_AGE_DAYS);
    return {
      valid: outcome.ok,
      code: outcome.ok ? 'VALID' : outcome.code,
      keyId: key?.id ?? null,
      orgId: key?.orgId ?? null,
      scopes: key?.scopes ?? null,
      expiresAt: key?.expiresAt ?? null,
      ratelimit: outcome.ratelimit
        ? {
            limit: outcome.ratelimit.limit,
            remaining: outcome.ratelimit.remaining,
            reset: outcome.ratelimit.reset,
          }
        : null,
    };
  });
}
