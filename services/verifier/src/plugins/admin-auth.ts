import { type Db, findOrgKey } from '@keywatch/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError, problems, verificationProblem } from '../http/errors.ts';
import { sendRateLimitHeaders } from '../http/rate-limit-headers.ts';
import { fromOwnOrigin, type OriginConfig, STATE_CHANGING, sessionIdOf } from '../http/session-cookie.ts';
import { requestInfo } from '../request-info.ts';
import type { SessionStore } from '../sessions.ts';
import { unavailableHeaders } from '../unavailable.ts';
import type { Verifier } from '../verifier.ts';

export interface Caller {
  keyId: string;
  orgId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by adminAuth's hook on the routes behind it; null everywhere else. Read it with `callerOf`. */
    caller: Caller | null;
  }
}

/**
 * The caller adminAuth admitted. A route behind adminAuth always has one: reaching such a route
 * without one is a wiring mistake, answered 500 (the error edge's body, no detail).
 */
export function callerOf(request: FastifyRequest): Caller {
  if (request.caller === null) throw new Error('no caller: the route is not behind adminAuth');
  return request.caller;
}

/** What adminAuth needs: the key verification, the dashboard's sessions and their keys, `PUBLIC_URL`. */
export interface AdminAuthDeps {
  db: Db;
  verify: Verifier;
  sessions: Pick<SessionStore, 'find' | 'end'>;
  config: OriginConfig;
}

/**
 * The caller a dashboard session stands for, its key verified as it is now, as one AuthEvent like
 * any use of the key (so a session is counted, rate-limited and watched as the key's own requests
 * are). A session of a key since revoked, expired, rotated out or stripped of `admin` ends at once
 * (401, and it is deleted). A change (POST, PUT, PATCH, DELETE) must come with the verifier's own
 * `Origin`.
 */
async function sessionCaller(
  app: FastifyInstance,
  { db, verify, sessions, config }: AdminAuthDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
): Promise<Caller> {
  if (STATE_CHANGING.has(request.method) && !fromOwnOrigin(request, config)) {
    throw new ApiError(problems.csrfRefused());
  }
  const session = await sessions.find(id);
  const key = session && (await findOrgKey(db, session.orgId, session.keyId));
  const outcome =
    key &&
    (await verify({
      credential: { key },
      scopes: ['admin'],
      ...requestInfo(request, app.trustedProxies),
    }));
  if (outcome?.ratelimit) sendRateLimitHeaders(reply, outcome.ratelimit);
  // Refused for this request only: the session stands, the key being as it was.
  if (outcome && !outcome.ok && SESSION_HOLDS.has(outcome.code)) throw new ApiError(outcome.problem);
  if (!outcome?.ok || outcome.key.rotatedAt) {
    await sessions.end(id);
    throw new ApiError(verificationProblem('INVALID_API_KEY'));
  }
  return { keyId: outcome.key.id, orgId: outcome.key.orgId };
}

/** Refusals that leave a session standing: over the rate limit, or from outside the allowlist. */
const SESSION_HOLDS: ReadonlySet<string> = new Set(['RATE_LIMITED', 'IP_NOT_ALLOWED']);

/**
 * Management and reports: a Bearer key with scope `admin`, or (without an `Authorization` header)
 * the dashboard's session cookie; the caller's org bounds what it sees.
 */
export const adminAuth = fp(async (app: FastifyInstance, deps: AdminAuthDeps) => {
  app.decorateRequest('caller', null);
  app.addHook('onRequest', async (request, reply) => {
    // Bearer wins: a request that sends a key is judged by it, whatever cookie comes along.
    const session = request.headers.authorization === undefined ? sessionIdOf(request) : null;
    if (session !== null) {
      request.caller = await sessionCaller(app, deps, request, reply, session);
      return;
    }
    const outcome = await deps.verify({
      credential: { header: request.headers.authorization },
      scopes: ['admin'],
      ...requestInfo(request, app.trustedProxies),
    });
    if (outcome.ratelimit) sendRateLimitHeaders(reply, outcome.ratelimit);
    if (!outcome.ok && outcome.code === 'UNAVAILABLE') unavailableHeaders(reply);
    if (!outcome.ok) throw new ApiError(outcome.problem);
    // A rotated-out key keeps serving its clients through the grace period, but may no longer
    // manage: rotating a leaked admin key must cut the leak off from minting new keys.
    if (outcome.key.rotatedAt) throw new ApiError(problems.keyRotated());
    request.caller = { keyId: outcome.key.id, orgId: outcome.key.orgId };
  });
});
