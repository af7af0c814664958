import { alertDeliveries, alertView, type Db, listAlerts } from '@keywatch/db';
import { ALERT_STATES, CHANNELS, DELIVERY_STATUSES, PERIODS, RULE_NAMES, SEVERITIES } from '@keywatch/rules';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TAGS } from '../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, json } from '../http/schema.ts';
import { callerOf } from '../plugins/admin-auth.ts';
import { nextCursorOf, pageFields, pageOf, pageRequest } from './page.ts';

const deliverySchema = z.object({
  channel: z.enum(CHANNELS),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  error: z.string().nullable().describe('Why the last attempt failed'),
  sentAt: z.iso.datetime().nullable(),
});

export const alertSchema = z
  .object({
    id: z.uuid(),
    keyId: z.uuid().nullable().describe('null for an org-wide alert (credential stuffing)'),
    rule: z.enum(RULE_NAMES),
    subject: z
      .string()
      .describe('What within the rule and window: a severity level, or a signal such as `newCountry:BR`'),
    severity: z.enum(SEVERITIES),
    state: z.enum(ALERT_STATES),
    window: z.object({
      period: z.enum(PERIODS),
      start: z.iso.datetime(),
      end: z.iso.datetime(),
    }),
    value: z.number(),
    threshold: z.number(),
    details: z.record(z.string(), z.unknown()).describe('What is normal for the key and what was seen'),
    createdAt: z.iso.datetime(),
    resolvedAt: z.iso.datetime().nullable(),
    deliveries: z.array(deliverySchema).describe('Each notification of the alert, per channel'),
  })
  .meta({
    id: 'Alert',
    description: 'An alert recorded by a rule, with its deliveries',
    examples: [
      {
        id: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
        keyId: '7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f',
        rule: 'failures',
        subject: 'critical',
        severity: 'critical',
        state: 'firing',
        window: { period: 'hourly', start: '2026-11-29T15:00:00.000Z', end: '2026-11-29T16:00:00.000Z' },
        value: 140,
        threshold: 100,
        details: { byCode: { INVALID_API_KEY: 140 } },
        createdAt: '2026-11-29T15:41:02.511Z',
        resolvedAt: null,
        deliveries: [
          { channel: 'slack', status: 'sent', attempts: 1, error: null, sentAt: '2026-11-29T15:41:03.020Z' },
        ],
      },
    ],
  });

const query = z.object({
  keyId: z.uuid().optional().describe('Only this key’s alerts'),
  state: z.enum(ALERT_STATES).optional().describe('Only firing or only resolved alerts'),
  rule: z.enum(RULE_NAMES).optional().describe('Only this rule’s alerts'),
  severity: z.enum(SEVERITIES).optional().describe('Only alerts of this severity'),
  ...pageFields,
  // As before pagination: without a limit, the newest 100.
  limit: pageFields.limit.default(100).describe('Alerts per page (default 100)'),
});

/** `GET /api/alerts?keyId=&state=&rule=&severity=&limit=&cursor=`: the org's alerts, newest first, with their deliveries. */
export const alertsRoute: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/alerts',
    {
      schema: {
        summary: 'List alerts',
        description: 'The org’s alerts, newest first, each with its deliveries.',
        tags: [TAGS.alerts],
        security: ADMIN_SECURITY,
        querystring: query,
        response: {
          200: json('A page of alerts', pageOf('alerts', alertSchema)),
          ...errors(400, ...adminErrors),
        },
      },
    },
    async (request) => {
      const { keyId, state, rule, severity, ...page } = request.query;
      const { rows, next } = await listAlerts(
        db,
        callerOf(request).orgId,
        { keyId, state, rule, severity },
        pageRequest(page),
      );
      const sent = await alertDeliveries(
        db,
        rows.map((r) => r.id),
      );
      return {
        nextCursor: nextCursorOf(next),
        alerts: rows.map((a) => ({
          ...alertView(a),
          deliveries: sent
            .filter((d) => d.alertId === a.id)
            .map((d) => ({
              channel: d.channel,
              status: d.status,
              attempts: d.attempts,
              error: d.error,
              sentAt: d.sentAt?.toISOString() ?? null,
            })),
        })),
      };
    },
  );
};
