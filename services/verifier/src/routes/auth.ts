import { errorBody } from '@keywatch/keys';
import type { FastifyInstance } from 'fastify';
import { rateLimitHeaders } from '../rate-limit.ts';
import { requestInfo } from '../request-info.ts';

/**
 * Forward-auth for gateways (nginx auth_request, Traefik ForwardAuth, Envoy ext_authz): any method,
 * the client's Authorization header, the scope in X-Required-Scope or ?scope=.
 */
export async function authRoute(app: FastifyInstance) {
  app.route<{ Querystring: { scope?: string } }>({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/v1/auth',
    handler: async (request, reply) => {
      const scopeHeader = request.headers['x-required-scope'];
      const scope =
        (Array.isArray(scopeHeader) ? scopeHeader[0] : scopeHeader) || request.query.scope || undefined;
      const outcome = await app.deps.verify({
        credential: { header: request.headers.authorization },
        scope,
        ...requestInfo(request),
      });
      if (outcome.ratelimit) rateLimitHeaders(reply, outcome.ratelimit);
      if (!outcome.ok) {
        const body = JSON.stringify(errorBody(outcome.error));
        // Gateways cannot forward an auth subrequest's body (nginx auth_request); they can forward
        // a header, and answer it as the body (see infra/nginx/keywatch.conf.template).
        return reply
          .code(outcome.error.status)
          .header('x-keywatch-error', body)
          .type('application/json; charset=utf-8')
          .send(body);
      }
      const { key } = outcome;
      return reply
        .header('x-key-id', key.id)
        .header('x-org-id', key.orgId)
        .header('x-key-scopes', key.scopes.join(','))
        .code(200)
        .send();
    },
  });
}
