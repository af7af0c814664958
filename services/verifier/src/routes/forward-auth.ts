import type { Config } from '@keywatch/config';
import { requiredScopes } from '@keywatch/keys';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, STATUS_OF } from '../http/errors.ts';
import { TAGS } from '../http/openapi.ts';
import { sendRateLimitHeaders } from '../http/rate-limit-headers.ts';
import { empty, errors, rateLimitHeaders } from '../http/schema.ts';
import { keyNoticeHeaders } from '../key-notices.ts';
import { requestInfo } from '../request-info.ts';
import { unavailableHeaders } from '../unavailable.ts';
import type { Verifier } from '../verifier.ts';

/** GET is the one documented; HEAD comes with it. */
const METHODS = [['GET'], ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']];

const scopeList = z.string().meta({
  description: 'Required scopes, comma-separated; the key must grant every one',
  examples: ['agents:write'],
});

const query = z.object({
  scope: z
    .union([scopeList, z.array(scopeList)])
    .optional()
    .describe('Required scopes, comma-separated, as often as needed; the key must grant every one'),
});

const headers = z.object({
  'x-required-scope': scopeList.optional(),
  'x-original-method': z
    .string()
    .optional()
    .meta({ description: 'The client’s method (believed from TRUSTED_PROXIES only)' }),
  'x-original-uri': z
    .string()
    .optional()
    .meta({ description: 'The client’s path (believed from TRUSTED_PROXIES only)' }),
  'x-forwarded-for': z
    .string()
    .optional()
    .meta({ description: 'The client’s address (believed from TRUSTED_PROXIES only)' }),
});

const notice = (description: string) =>
  z
    .string()
    .optional()
    .meta({ description, examples: ['2026-12-01T09:00:00.000Z'] });

const allowed = z.object({
  'x-key-id': z.uuid().meta({ description: 'The key’s id' }),
  'x-org-id': z.uuid().meta({ description: 'The key’s org' }),
  'x-key-scopes': z
    .string()
    .meta({ description: 'The scopes the key grants', examples: ['agents:read,data:read'] }),
  ...rateLimitHeaders,
  'x-key-rotation-due': notice('Present when the key is past its rotation date'),
  'x-key-expires': notice('Present when the key expires within 14 days'),
});

const errorHeader = z.object({
  'x-keywatch-error': z.string().meta({
    description: 'The error body again, as a header, for gateways that cannot forward a subrequest’s body',
    examples: [
      '{"error":{"code":"invalid_api_key","message":"The API key provided is invalid"},"status":401}',
    ],
  }),
});

const failures = Object.fromEntries(
  Object.entries(errors(401, 403, 429, 500, 503)).map(([status, spec]) => [
    status,
    { ...spec, headers: errorHeader.extend(spec.headers?.shape ?? {}) },
  ]),
) as ReturnType<typeof errors<401 | 403 | 429 | 500 | 503>>;

/**
 * Forward-auth for gateways (nginx auth_request, Traefik ForwardAuth, Envoy ext_authz): any method,
 * the client's Authorization header, the required scopes in X-Required-Scope and ?scope=.
 */
export const forwardAuthRoute: FastifyPluginAsyncZod<{
  verify: Verifier;
  config: Pick<Config, 'ROTATION_MAX_AGE_DAYS'>;
}> = async (app, { verify, config }) => {
  // Forward-auth reads no body: whatever a gateway forwards (any type, any size) is drained unread,
  // so a client's body can never turn a verdict into a 400, 413 or 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => {
    payload.resume();
    done(null, undefined);
  });
  // Envoy's ext_authz asks at path_prefix + the original path: /v1/auth/<anything> is the same.
  for (const url of ['/v1/auth', '/v1/auth/*']) {
    for (const method of METHODS) {
      app.route({
        method,
        url,
        schema: {
          hide: url !== '/v1/auth' || method[0] !== 'GET',
          summary: 'Forward-auth',
          description:
            'For gateways. Any method, and any path under `/v1/auth/`, answers the same. The required scopes are all those named in `X-Required-Scope` and `?scope=`: a client can add a requirement, never remove one. Every call is one AuthEvent.',
          tags: [TAGS.verification],
          security: [{ apiKey: [] }],
          'x-keywatch-any-method': true,
          'x-keywatch-any-subpath': true,
          querystring: query,
          headers,
          response: { 200: empty('The key may proceed', allowed), ...failures },
        },
        handler: async (request, reply) => {
          // Both sources, every value: a client that adds its own header can only add requirements.
          const scopes = requiredScopes(request.headers['x-required-scope'], request.query.scope);
          const outcome = await verify({
            credential: { header: request.headers.authorization },
            scopes,
            ...requestInfo(request, app.trustedProxies),
          });
          if (outcome.ratelimit) sendRateLimitHeaders(reply, outcome.ratelimit);
          if (!outcome.ok) {
            if (outcome.code === 'UNAVAILABLE') unavailableHeaders(reply);
            const body = JSON.stringify(errorBody(outcome.problem));
            // Gateways cannot forward an auth subrequest's body (nginx auth_request); they can forward
            // a header, and answer it as the body (see infra/nginx/keywatch.conf.template).
            // The failure's own status: the contract lists every one of them, as `failures` above does.
            return (reply as FastifyReply)
              .code(STATUS_OF[outcome.problem.code])
              .header('x-keywatch-error', asciiJson(body))
              .type('application/json; charset=utf-8')
              .send(body); // already JSON: the header and the body are the same text
          }
          const { key } = outcome;
          keyNoticeHeaders(reply, key, config.ROTATION_MAX_AGE_DAYS);
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
};

/** The same JSON with every non-ASCII character escaped, as a header value must be. */
const asciiJson = (json: string) =>
  json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
