import { errorBody, notFound } from '@keywatch/keys';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

const keyIdParams = z.object({ id: z.uuid() });

/** The `:id` of the route, or a 404 sent: an id that is not even a UUID names no key. */
export function keyIdOr404(request: FastifyRequest, reply: FastifyReply): string | null {
  const params = keyIdParams.safeParse(request.params);
  if (params.success) return params.data.id;
  void reply.code(404).send(errorBody(notFound('API key')));
  return null;
}

export const keyNotFound = (reply: FastifyReply) => reply.code(404).send(errorBody(notFound('API key')));
