import { orgAlertSettings, setOrgAlertSettings } from '@keywatch/db';
import { describeIssues, errorBody, invalidRequest } from '@keywatch/keys';
import { alertSettingsSchema } from '@keywatch/rules';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { destinationProblems } from '../destination-policy.ts';

const body = z.strictObject({ alerts: alertSettingsSchema.nullable() });

/**
 * `GET/PUT /api/alert-settings`: the org's default `alerts`, which every key's own settings
 * override field by field. PUT replaces them (`null` clears).
 */
export async function alertSettingsRoutes(app: FastifyInstance) {
  app.get('/api/alert-settings', async (request) => ({
    alerts: await orgAlertSettings(app.deps.database.db, request.caller.orgId),
  }));

  app.put('/api/alert-settings', async (request, reply) => {
    const parsed = body.safeParse(request.body ?? {});
    if (!parsed.success) return reply.code(400).send(errorBody(invalidRequest(describeIssues(parsed.error))));
    const refused = destinationProblems(parsed.data, app.deps.config);
    if (refused.length > 0) return reply.code(400).send(errorBody(invalidRequest(refused)));
    const { orgId, keyId } = request.caller;
    return { alerts: await setOrgAlertSettings(app.deps.database.db, orgId, keyId, parsed.data.alerts) };
  });
}
