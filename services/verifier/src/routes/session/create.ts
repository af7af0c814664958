import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError, problems } from '../../http/errors.ts';
import { TAGS } from '../../http/openapi.ts';
import { sendRateLimitHeaders } from '../../http/rate-limit-headers.ts';
import { empty, errors } from '../../http/schema.ts';
import {
  fromOwnOrigin,
  type OriginConfig,
  SESSION_COOKIE,
  sessionCookie,
  setCookieHeaders,
} from '../../http/session-cookie.ts';
import { requestInfo } from '../../request-info.ts';
import type { SessionStore } from '../../sessions.ts';
import { unavailableHeaders } from '../../unavailable.ts';
import type { Verifier } from '../../verifier.ts';

const signIn = z
  .object({ key: z.string().min(1).max(512).describe('An API key of the org with scope `admin`') })
  .meta({
    id: 'SignIn',
    description: 'The admin key to sign in with; it is exchanged for the session cookie and not kept',
    examples: [{ key: 'sk_live_Ab3xQ9…' }],
  });

const signedIn = setCookieHeaders(
  'The session: `HttpOnly`, `SameSite=Strict`, `Path=/api`, 12 h (`Secure` when PUBLIC_URL is https)',
  `${SESSION_COOKIE}=q5mY…; Path=/api; Max-Age=43200; HttpOnly; SameSite=Strict; Secure`,
);

/**
 * `POST /api/session` `{ key }` → `204` with the session cookie, which stands for the key on
 * `/api/*` for 12 h. The key is verified as a Bearer admin key is (one AuthEvent, the same
 * refusals); neither it nor the session id is logged or stored.
 */
export const createSessionRoute: FastifyPluginAsyncZod<{
  verify: Verifier;
  sessions: Pick<SessionStore, 'create'>;
  config: OriginConfig;
}> = async (app, { verify, sessions, config }) => {
  app.post(
    '/api/session',
    {
      schema: {
        summary: 'Sign in',
        description:
          'For the dashboard: exchanges an admin key for a session cookie that stands for it on `/api/*` for 12 h. The key is verified as a Bearer admin key is; a rotated-out key is refused. With an `Origin` header, it must be the verifier’s own.',
        tags: [TAGS.session],
        body: signIn,
        response: {
          204: empty('Signed in', signedIn),
          ...errors(400, 401, 403, 413, 415, 429, 500, 503),
        },
      },
    },
    async (request, reply) => {
      // Login CSRF: no other site's page may sign a browser in (to a session of its choosing).
      if (request.headers.origin !== undefined && !fromOwnOrigin(request, config)) {
        throw new ApiError(problems.csrfRefused());
      }
      const outcome = await verify({
        credential: { secret: request.body.key },
        scopes: ['admin'],
        ...requestInfo(request, app.trustedProxies),
      });
      if (outcome.ratelimit) sendRateLimitHeaders(reply, outcome.ratelimit);
      if (!outcome.ok && outcome.code === 'UNAVAILABLE') unavailableHeaders(reply);
      if (!outcome.ok) throw new ApiError(outcome.problem);
      // As for a Bearer: a rotated-out admin key may no longer manage, so it may not sign in.
      if (outcome.key.rotatedAt) throw new ApiError(problems.keyRotated());
      const who = { keyId: outcome.key.id, orgId: outcome.key.orgId };
      const id = await sessions.create(who);
      request.log.info(who, 'session started');
      return reply
        .code(204)
        .header('set-cookie', sessionCookie(id, config))
        .header('cache-control', 'no-store')
        .send();
    },
  );
};
