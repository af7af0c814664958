import { type Db, orgAlertSettings } from '@keywatch/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { TAGS } from '../../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, json } from '../../http/schema.ts';
import { callerOf } from '../../plugins/admin-auth.ts';
import { orgAlertSettingsSchema } from './schemas.ts';

/** `GET /api/alert-settings`: the org's default `alerts`. */
export const getAlertSettingsRoute: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/alert-settings',
    {
      schema: {
        summary: 'Get the org’s alert settings',
        tags: [TAGS.settings],
        security: ADMIN_SECURITY,
        response: {
          200: json('The org’s alert settings', orgAlertSettingsSchema),
          ...errors(...adminErrors),
        },
      },
    },
    async (request) => ({ alerts: await orgAlertSettings(db, callerOf(request).orgId) }),
  );
};
