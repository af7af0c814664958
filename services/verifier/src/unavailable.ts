import type { FastifyReply } from 'fastify';
import { SERVICE_UNAVAILABLE_RETRY_AFTER_S } from './http/errors.ts';

export { isStoreUnreachable } from './key-cache.ts';

/** A 503 tells the client when to come back. */
export const unavailableHeaders = (reply: FastifyReply): FastifyReply =>
  reply.header('retry-after', SERVICE_UNAVAILABLE_RETRY_AFTER_S);
