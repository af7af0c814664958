import { errorBody, requiredScopes } from '@keywatch/keys';
import type { FastifyInstance } from 'fastify';
import { keyNoticeHeaders } from '../key-notices.ts';
import { rateLimitHeaders } from '../rate-limit.ts';
import { requestInfo } from '../request-info.ts';
import { unavailableHeaders } from '../unavailable.ts';

/**
 * Forward-auth for gateways (nginx auth_request, Traefik ForwardAuth, Envoy ext_authz): any method,
 * the client's Authorization header, the required scopes in X-Required-Scope and ?scope=.
 */
export async function authRoute(app: FastifyInstance) {
  // Envoy's ext_authz asks at path_prefix + the original path: /v1/auth/<anything> is the same.
  for (const url of ['/v1/auth', '/v1/auth/*']) {
    app.route<{ Querystring: { scope?: string | string[] } }>({
      method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      url,
      handler: async (request, reply) => {
        // Both sources, every value: a client that adds its own header can only add requirements.
        const scopes = requiredScopes(request.headers['x-required-scope'], request.query.scope);
        const outcome = await app.deps.verify({
          credential: { header: request.headers.authorization },
          scopes,
          ...requestInfo(request, app.trustedProxies),
        });
        if (outcome.ratelimit) rateLimitHeaders(reply, outcome.ratelimit);
        if (!outcome.ok) {
          if (outcome.code === 'UNAVAILABLE') unavailableHeaders(reply);
          const body = JSON.stringify(errorBody(outcome.error));
          // Gateways cannot forward an auth subrequest's body (nginx auth_request); they can forward
          // a header, and answer it as the body (see infra/nginx/keywatch.conf.template).
          return reply
            .code(outcome.error.status)
            .header('x-keywatch-error', asciiJson(body))
            .type('application/json; charset=utf-8')
            .send(body);
        }
        const { key } = outcome;
        keyNoticeHeaders(reply, key, app.deps.config.ROTATION_MAX_AGE_DAYS);
        return reply
          .header('x-key-id', key.id)
          .header('x-org-id', key.orgId)
          .header('x-key-scopes', key.scopes.join(','))
          .code(200)
          .send();
      },
    });
  }
}

/** The same JSON with every non-ASCII character escaped, as a header value must be. */
const asciiJson = (json: string) =>
  json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
