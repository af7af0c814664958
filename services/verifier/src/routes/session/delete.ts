import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, problems } from '../../http/errors.ts';
import { TAGS } from '../../http/openapi.ts';
import { empty, errors } from '../../http/schema.ts';
import {
  clearedSessionCookie,
  fromOwnOrigin,
  type OriginConfig,
  SESSION_COOKIE,
  sessionIdOf,
  setCookieHeaders,
} from '../../http/session-cookie.ts';
import type { SessionStore } from '../../sessions.ts';

const signedOut = setCookieHeaders(
  'Clears the session cookie (`Max-Age=0`)',
  `${SESSION_COOKIE}=; Path=/api; Max-Age=0; HttpOnly; SameSite=Strict; Secure`,
);

/**
 * `DELETE /api/session` → `204`: ends the session the cookie names and clears the cookie. Without
 * a session, the same answer. With a cookie, the `Origin` must be the verifier's own.
 */
export const deleteSessionRoute: FastifyPluginAsyncZod<{
  sessions: Pick<SessionStore, 'end'>;
  config: OriginConfig;
}> = async (app, { sessions, config }) => {
  app.delete(
    '/api/session',
    {
      schema: {
        summary: 'Sign out',
        description:
          'Ends the session the cookie names and clears the cookie; without a session, the same `204`. A request that carries the cookie must come with the verifier’s own `Origin`.',
        tags: [TAGS.session],
        response: { 204: empty('Signed out', signedOut), ...errors(403, 500, 503) },
      },
    },
    async (request, reply) => {
      const id = sessionIdOf(request);
      if (id !== null) {
        if (!fromOwnOrigin(request, config)) throw new ApiError(problems.csrfRefused());
        const ended = await sessions.end(id);
        if (ended) request.log.info({ keyId: ended.keyId, orgId: ended.orgId }, 'session ended');
      }
      return reply
        .code(204)
        .header('set-cookie', clearedSessionCookie(config))
        .header('cache-control', 'no-store')
        .send();
    },
  );
};
