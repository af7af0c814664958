import type { Config } from '@keywatch/config';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SESSION_TTL_S } from '../sessions.ts';

/** The dashboard's session cookie: it stands for the admin key that signed in, on `/api/*` only. */
export const SESSION_COOKIE = 'keywatch_session';

/** The session id the request's `Cookie` header carries, or null. */
export function sessionIdOf(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === SESSION_COOKIE) return pair.slice(eq + 1).trim() || null;
  }
  return null;
}

const originOf = (url: string): string | null => {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
};

/** What the session cookie and the origin check read of the configuration. */
export type OriginConfig = Pick<Config, 'PUBLIC_URL'>;

/** The cookie goes over https only when users reach the verifier over https. */
const secure = (config: OriginConfig) => originOf(config.PUBLIC_URL ?? '')?.startsWith('https:') === true;

const cookie = (value: string, maxAgeS: number, config: OriginConfig) =>
  [
    `${SESSION_COOKIE}=${value}`,
    'Path=/api',
    `Max-Age=${maxAgeS}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure(config) ? ['Secure'] : []),
  ].join('; ');

/** `Set-Cookie` of a new session. */
export const sessionCookie = (id: string, config: OriginConfig) => cookie(id, SESSION_TTL_S, config);

/** `Set-Cookie` that makes the browser forget the session. */
export const clearedSessionCookie = (config: OriginConfig) => cookie('', 0, config);

/** Methods that change something: a cookie-authenticated one must come from the verifier's own pages. */
export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether the request's `Origin` is the verifier's own: `PUBLIC_URL`'s origin when set, else
 * `http://<Host>`. Without an `Origin` header, false. (SameSite=Strict keeps the cookie off
 * cross-site requests first; this is the second line.)
 */
export function fromOwnOrigin(request: FastifyRequest, config: OriginConfig): boolean {
  const sent = request.headers.origin;
  if (typeof sent !== 'string') return false;
  const own = config.PUBLIC_URL
    ? originOf(config.PUBLIC_URL)
    : originOf(`http://${request.headers.host ?? ''}`);
  return own !== null && originOf(sent) === own;
}

/** The `Set-Cookie` header of the session routes' answers, as the document shows it. */
export const setCookieHeaders = (description: string, example: string) =>
  z.object({ 'set-cookie': z.string().meta({ description, examples: [example] }) });
