import { type Db, setOrgAlertSettings } from '@keywatch/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type DestinationConfig, destinationProblems } from '../../destination-policy.ts';
import { ApiError, problems } from '../../http/errors.ts';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, json } from '../../http/schema.ts';
import { callerOf } from '../../plugins/admin-auth.ts';
import { orgAlertSettingsSchema } from './schemas.ts';

/** `PUT /api/alert-settings` `{ alerts }`: replaces the org's defaults (`null` clears them). Audited. */
export const putAlertSettingsRoute: FastifyPluginAsyncZod<{ db: Db; config: DestinationConfig }> = async (
  app,
  { db, config },
) => {
  app.put(
    '/api/alert-settings',
    {
      schema: {
        summary: 'Replace the org’s alert settings',
        description: 'Replaces the org’s defaults; `{ "alerts": null }` clears them.',
        tags: [TAGS.settings],
        security: ADMIN_SECURITY,
        body: orgAlertSettingsSchema,
        response: {
          200: json('The org’s alert settings', orgAlertSettingsSchema),
          ...errors(400, ...adminErrors, 413, 415),
        },
      },
    },
    async (request) => {
      const refused = destinationProblems(request.body, config);
      if (refused.length > 0) throw new ApiError(problems.invalidRequest(refused));
      const { orgId, keyId } = callerOf(request);
      return { alerts: await setOrgAlertSettings(db, orgId, keyId, request.body.alerts) };
    },
  );
};
