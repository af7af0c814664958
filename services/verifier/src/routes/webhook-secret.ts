import { rotateWebhookSecret } from '@keywatch/db';
import type { FastifyInstance } from 'fastify';

/**
 * `POST /api/webhook-secret` → `201 { secret }`, shown once: creates the org's webhook signing
 * secret, or rotates it (the previous one keeps signing beside it for 24 h). Audited.
 */
export async function webhookSecretRoute(app: FastifyInstance) {
  app.post('/api/webhook-secret', async (request, reply) => {
    const { orgId, keyId } = request.caller;
    const secret = await rotateWebhookSecret(app.deps.database.db, orgId, keyId);
    return reply.code(201).header('cache-control', 'no-store').send({ secret });
  });
}
