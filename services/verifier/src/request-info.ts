import type { FastifyRequest } from 'fastify';
import { clientIp } from './client-ip.ts';

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? null;

/** Who called and what for: the client IP (trusted proxies only), method, path and user agent. */
export function requestInfo(request: FastifyRequest) {
  return {
    ip: clientIp(
      request.socket.remoteAddress,
      request.headers['x-forwarded-for'],
      request.server.trustedProxies,
    ),
    method: header(request.headers['x-original-method']) ?? request.method,
    path: header(request.headers['x-original-uri']) ?? request.url.split('?')[0] ?? null,
    userAgent: header(request.headers['user-agent']),
  };
}
