import { errorBody } from '@keywatch/keys';
import type { FastifyInstance } from 'fastify';
import { keyNoticeHeaders } from '../key-notices.ts';
import { rateLimitHeaders } from '../rate-limit.ts';
import { requestInfo } from '../request-info.ts';

/**
 * Forward-auth for gateways (nginx auth_request, Traefik ForwardAuth, Envoy ext_authz): any method,
 * the client's Authorization header, the scope in X-Required-Scope or ?scope=.
 */
export async function authRoute(app: FastifyInstance) {
  app.route<{ Querystring: { scope?: string | string[] } }>({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/v1/auth',
    handler: async (request, reply) => {
      const scope = requiredScope(request.headers['x-required-scope'] ?? request.query.scope);
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

/** The first scope given, if any; scopes are short words, so anything long is cut. */
function requiredScope(raw: string | string[] | undefined): string | undefined {
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value ? value.slice(0, 200) : undefined;
}

/** The same JSON with every non-ASCII character escaped, as a header value must be. */
const asciiJson = (json: string) =>
  json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
