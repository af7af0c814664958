import type { FastifyReply } from 'fastify';
import type { RateLimitState } from '../rate-limit.ts';

/** `X-RateLimit-*` on every answer about a key, and `Retry-After` when it is over its limit. */
export function sendRateLimitHeaders(reply: FastifyReply, state: RateLimitState): void {
  reply
    .header('x-ratelimit-limit', state.limit)
    .header('x-ratelimit-remaining', state.remaining)
    .header('x-ratelimit-reset', state.reset);
  if (!state.allowed) reply.header('retry-after', Math.max(1, state.reset - Math.floor(Date.now() / 1000)));
}
