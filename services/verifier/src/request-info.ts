import type { BlockList } from 'node:net';
import { maskSecrets } from '@keywatch/log';
import type { FastifyRequest } from 'fastify';
import { clientIp, isTrusted, normalizeIp } from './client-ip.ts';

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? null;

// Bounds on what a client's request puts into its AuthEvent, so events stay small.
const MAX_PATH = 2048;
const MAX_USER_AGENT = 512;
/** An HTTP method is a short token (RFC 9110); anything else is not one. */
const METHOD = /^[A-Za-z]{1,16}$/;

/**
 * The path as events may carry it: no query string (where `?api_key=…` and other secrets live)
 * and no secret-looking token in the path itself.
 */
export const safePath = (raw: string | null | undefined): string | null =>
  raw ? maskSecrets(raw.split(/[?#]/, 1)[0]!).slice(0, MAX_PATH) : null;

/** User agents known to hold no secret; past this many the memory starts over. */
const MAX_REMEMBERED_AGENTS = 1_000;
const cleanAgents = new Set<string>();

/**
 * A client sends the same user agent again and again: one found clean is not searched again. Only
 * clean ones (and short ones) are remembered, so no secret a client sent stays in memory.
 */
export function safeUserAgent(raw: string | null | undefined): string | null {
  if (!raw) return null;
  if (cleanAgents.has(raw)) return raw;
  const safe = maskSecrets(raw).slice(0, MAX_USER_AGENT);
  if (safe === raw) {
    if (cleanAgents.size >= MAX_REMEMBERED_AGENTS) cleanAgents.clear();
    cleanAgents.add(raw);
  }
  return safe;
}

export const safeMethod = (raw: string | null | undefined): string | null =>
  raw && METHOD.test(raw) ? raw.toUpperCase() : null;

/** What a caller may say about the client it acts for (the body of POST /v1/verify). */
export interface ClientClaims {
  ip?: string;
  method?: string;
  path?: string;
}

/** True when the direct peer is a trusted proxy or application server (TRUSTED_PROXIES). */
export const fromTrustedPeer = (request: FastifyRequest, trusted: BlockList): boolean =>
  isTrusted(normalizeIp(request.socket.remoteAddress), trusted);

/**
 * Who called and what for: client IP, method, path and user agent. What the request says about
 * the client (X-Forwarded-For, X-Original-Method and -URI or Traefik's X-Forwarded-Method and -Uri, or the claims of POST
 * /v1/verify) is believed only from a trusted peer; from anyone else the socket's address is the
 * client, and the request itself is what was asked.
 */
export function requestInfo(request: FastifyRequest, trusted: BlockList, claims?: ClientClaims) {
  const peer = normalizeIp(request.socket.remoteAddress);
  const userAgent = safeUserAgent(header(request.headers['user-agent']));
  if (!isTrusted(peer, trusted)) {
    // A caller of POST /v1/verify names no request of its own: its claims are simply not taken.
    if (claims) return { ip: peer, method: null, path: null, userAgent };
    return { ip: peer, method: safeMethod(request.method), path: safePath(request.url), userAgent };
  }
  if (claims) {
    return {
      ip: normalizeIp(claims.ip) ?? clientIp(peer, request.headers['x-forwarded-for'], trusted),
      method: safeMethod(claims.method),
      path: safePath(claims.path),
      userAgent,
    };
  }
  return {
    ip: clientIp(peer, request.headers['x-forwarded-for'], trusted),
    // X-Original-* from nginx and Envoy (as configured in infra/), X-Forwarded-* from Traefik.
    method: safeMethod(
      header(request.headers['x-original-method']) ??
        header(request.headers['x-forwarded-method']) ??
        request.method,
    ),
    path: safePath(
      header(request.headers['x-original-uri']) ?? header(request.headers['x-forwarded-uri']) ?? request.url,
    ),
    userAgent,
  };
}
