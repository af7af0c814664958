import type { Config } from '@keywatch/config';
import { requiredScopes, VERIFY_CODES } from '@keywatch/keys';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../http/errors.ts';
import { TAGS } from '../http/openapi.ts';
import { errors, json } from '../http/schema.ts';
import { keyNoticeHeaders } from '../key-notices.ts';
import { requestInfo } from '../request-info.ts';
import { unavailableHeaders } from '../unavailable.ts';
import type { Verifier } from '../verifier.ts';

const verifyRequest = z
  .object({
    key: z.string().min(1).max(512).describe('The secret to verify'),
    scope: z.string().min(1).max(1000).optional().describe('Required scopes, comma-separated'),
    // Claims about the client: taken only from TRUSTED_PROXIES (see requestInfo).
    ip: z
      .union([z.ipv4(), z.ipv6()])
      .optional()
      .describe('The client’s address (believed from TRUSTED_PROXIES only)'),
    method: z
      .string()
      .max(16)
      .optional()
      .describe('The client’s method (believed from TRUSTED_PROXIES only)'),
    path: z.string().max(2048).optional().describe('The client’s path (believed from TRUSTED_PROXIES only)'),
  })
  .meta({
    id: 'VerifyRequest',
    description: 'A key to verify, the scopes it needs, and (from trusted peers) who used it',
    examples: [
      {
        key: 'sk_live_Ab3xQ9…',
        scope: 'agents:write',
        ip: '203.0.113.7',
        method: 'POST',
        path: '/v1/agents',
      },
    ],
  });

const verdict = z
  .object({
    valid: z.boolean(),
    code: z.enum(VERIFY_CODES),
    keyId: z.uuid().nullable(),
    orgId: z.uuid().nullable(),
    scopes: z.array(z.string()).nullable(),
    expiresAt: z.date().nullable(),
    ratelimit: z
      .object({
        limit: z.number().int(),
        remaining: z.number().int(),
        reset: z.number().int().describe('Unix time (seconds) at which the period ends'),
      })
      .nullable(),
  })
  .meta({
    id: 'Verdict',
    description: 'Whether the key may proceed and, if not, why (the code an AuthEvent carries)',
    examples: [
      {
        valid: true,
        code: 'VALID',
        keyId: '7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f',
        orgId: '0b8f4d2c-6a1e-4f3b-9c7d-2e5a8b1c4d6f',
        scopes: ['agents:read', 'agents:write'],
        expiresAt: null,
        ratelimit: { limit: 100, remaining: 99, reset: 1796000040 },
      },
    ],
  });

/** JSON verification for application servers: always 200 with the verdict, 400 for a bad body. */
export const verifyJsonRoute: FastifyPluginAsyncZod<{
  verify: Verifier;
  config: Pick<Config, 'ROTATION_MAX_AGE_DAYS'>;
}> = async (app, { verify, config }) => {
  app.post(
    '/v1/verify',
    {
      schema: {
        summary: 'Verify a key',
        description:
          'For application servers: 200 with the verdict whatever it is. Every call is one AuthEvent.',
        tags: [TAGS.verification],
        body: verifyRequest,
        response: { 200: json('The verdict', verdict), ...errors(400, 413, 415, 500, 503) },
      },
    },
    async (request, reply) => {
      const { key: secret, scope, ...claims } = request.body;
      const outcome = await verify({
        credential: { secret },
        scopes: requiredScopes(scope),
        ...requestInfo(request, app.trustedProxies, claims),
      });
      if (!outcome.ok && outcome.code === 'UNAVAILABLE') {
        unavailableHeaders(reply);
        throw new ApiError(outcome.problem);
      }
      const key = outcome.key;
      if (outcome.ok) keyNoticeHeaders(reply, outcome.key, config.ROTATION_MAX_AGE_DAYS);
      return {
        valid: outcome.ok,
        code: outcome.ok ? ('VALID' as const) : outcome.code,
        keyId: key?.id ?? null,
        orgId: key?.orgId ?? null,
        scopes: key?.scopes ?? null,
        expiresAt: key?.expiresAt ?? null,
        ratelimit: outcome.ratelimit
          ? {
              limit: outcome.ratelimit.limit,
              remaining: outcome.ratelimit.remaining,
              reset: outcome.ratelimit.reset,
            }
          : null,
      };
    },
  );
};
