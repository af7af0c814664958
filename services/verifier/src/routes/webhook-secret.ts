import type { Db } from '@keywatch/db';
import { rotateWebhookSecret } from '@keywatch/key-lifecycle';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TAGS } from '../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, json } from '../http/schema.ts';
import { callerOf } from '../plugins/admin-auth.ts';

const secretSchema = z.object({ secret: z.string().describe('Shown in this answer only') }).meta({
  id: 'WebhookSecret',
  description: 'The org’s new signing secret',
  examples: [{ secret: 'whsec_…' }],
});

/**
 * `POST /api/webhook-secret` → `201 { secret }`, shown once: creates the org's webhook signing
 * secret, or rotates it (the previous one keeps signing beside it for 24 h). Audited.
 */
export const webhookSecretRoute: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.post(
    '/api/webhook-secret',
    {
      schema: {
        summary: 'Create or rotate the webhook secret',
        description:
          'Webhooks are signed with it (`X-Keywatch-Signature`); after a rotation the previous secret keeps signing beside it for 24 h.',
        tags: [TAGS.settings],
        security: ADMIN_SECURITY,
        response: { 201: json('The new secret', secretSchema), ...errors(...adminErrors) },
      },
    },
    async (request, reply) => {
      const { orgId, keyId } = callerOf(request);
      const secret = await rotateWebhookSecret(db, orgId, keyId);
      return reply.code(201).header('cache-control', 'no-store').send({ secret });
    },
  );
};
