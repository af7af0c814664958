import { maskSecrets } from '@keywatch/log';
import type { FastifyRequest } from 'fastify';
import { clientIp } from './client-ip.ts';

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? null;

/**
 * The path as events may carry it: no query string (where `?api_key=…` and other secrets live)
 * and no secret-looking token in the path itself.
 */
export const safePath = (raw: string | null | undefined): string | null =>
  raw ? maskSecrets(raw.split(/[?#]/, 1)[0]!).slice(0, 2048) : null;

export const safeUserAgent = (raw: string | null | undefined): string | null =>
  raw ? maskSecrets(raw).slice(0, 512) : null;

/** Who called and what for: the client IP (trusted proxies only), method, path and user agent. */
export function requestInfo(request: FastifyRequest) {
  return {
    ip: clientIp(
      request.socket.remoteAddress,
      request.headers['x-forwarded-for'],
      request.server.trustedProxies,
    ),
    method: header(request.headers['x-original-method']) ?? request.method,
    path: safePath(header(request.headers['x-original-uri']) ?? request.url),
    userAgent: safeUserAgent(header(request.headers['user-agent'])),
  };
}
