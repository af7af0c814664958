import { PREVIEW_MAX_KEY_HOURS, PreviewTooLargeError, previewAlerts } from '@keywatch/backtest';
import { type Db, findOrgKey } from '@keywatch/db';
import { alertSettingsSchema, DAY_MS } from '@keywatch/rules';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError, problems } from '../http/errors.ts';
import { TAGS } from '../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, json, named } from '../http/schema.ts';
import { callerOf } from '../plugins/admin-auth.ts';
import { alertSchema } from './alerts.ts';
import { KEY } from './api-keys/schemas.ts';

/** The longest range one preview replays: every hour of it is decided in the verifier's memory. */
const MAX_RANGE_DAYS = 31;
/** How far `to` may lie ahead of now (the current hour, a client's clock). */
const MAX_AHEAD_DAYS = 1;

const instant = (description: string) =>
  z.iso
    .datetime({ offset: true })
    .transform((v) => new Date(v))
    .describe(description);

const previewRequestSchema = named(
  z
    .strictObject({
      alerts: alertSettingsSchema.describe(
        'The settings to try, as the org’s defaults (the `alerts` of `PUT /api/alert-settings`); each key’s own settings still override them field by field',
      ),
      from: instant('Start of the range (ISO 8601 time)'),
      to: instant(
        `End of the range, exclusive (ISO 8601 time): after \`from\`, at most ${MAX_RANGE_DAYS} days after it and ${MAX_AHEAD_DAYS} day ahead of now`,
      ),
      keyId: z.uuid().optional().describe('Only this key of the org'),
    })
    .superRefine(({ from, to }, ctx) => {
      // A time the field itself refused is not compared (its own issue names it).
      if (!(from instanceof Date) || !(to instanceof Date)) return;
      if (from >= to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
      else if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `must be at most ${MAX_RANGE_DAYS} days after from`,
        });
      }
      if (to.getTime() > Date.now() + MAX_AHEAD_DAYS * DAY_MS) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `must be at most ${MAX_AHEAD_DAYS} day in the future`,
        });
      }
    }),
  {
    id: 'AlertPreviewRequest',
    description: 'Alert settings to try over a range of the org’s stored usage (or one key’s)',
    examples: [
      {
        alerts: {
          highUsage: { threshold: 1000, period: 'hourly' },
          failures: { threshold: 50, period: 'hourly' },
        },
        from: '2026-11-22T00:00:00Z',
        to: '2026-11-29T00:00:00Z',
      },
    ],
  },
);

const EXAMPLE = {
  id: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
  keyId: '7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f',
  rule: 'highUsage',
  subject: 'critical',
  severity: 'critical',
  state: 'firing',
  window: { period: 'hourly', start: '2026-11-25T15:00:00.000Z', end: '2026-11-25T16:00:00.000Z' },
  value: 1240,
  threshold: 1000,
  details: { topCountries: [{ country: 'DE', count: 1180 }] },
  createdAt: '2026-11-25T15:59:59.999Z',
  resolvedAt: null,
  firedAt: '2026-11-25T15:59:59.999Z',
};

const previewedAlertSchema = alertSchema
  .omit({ deliveries: true })
  .extend({
    firedAt: z.iso
      .datetime()
      .describe('When it would have fired: the end of the hour whose stored usage raised it'),
  })
  .meta({
    id: 'PreviewedAlert',
    description:
      'An alert the settings would have raised, as `GET /api/alerts` shows one without its deliveries. Nothing was recorded or sent: its `id` names it in this answer only.',
    examples: [EXAMPLE],
  });

const previewSchema = z
  .object({
    alerts: z.array(previewedAlertSchema).describe('In the order they would have fired'),
  })
  .meta({
    id: 'AlertPreview',
    description: 'What the settings would have fired over the range',
    examples: [{ alerts: [EXAMPLE] }],
  });

/**
 * `POST /api/alerts/preview` `{ alerts, from, to, keyId? }`: what these settings would have fired
 * over the org's stored usage (the backtest over its hourly aggregates). Nothing is recorded or sent.
 */
export const alertsPreviewRoute: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.post(
    '/api/alerts/preview',
    {
      schema: {
        summary: 'Preview alert settings',
        description: `What these settings would have fired over the org’s stored usage in [from, to) (or one key’s), from its hourly aggregates: each hour is decided once, when it ends, the weeks before \`from\` building the baselines. Nothing is recorded or sent. The range is at most ${MAX_RANGE_DAYS} days, and holds at most ${PREVIEW_MAX_KEY_HOURS} hours in which a key was used (else \`400\` naming \`from\`: narrow it, or name a \`keyId\`).`,
        tags: [TAGS.alerts],
        security: ADMIN_SECURITY,
        body: previewRequestSchema,
        response: {
          200: json('The alerts the settings would have fired', previewSchema),
          ...errors(400, ...adminErrors, 404, 413, 415),
        },
      },
    },
    async (request) => {
      const { orgId } = callerOf(request);
      const { alerts, from, to, keyId } = request.body;
      if (keyId && !(await findOrgKey(db, orgId, keyId))) throw new ApiError(problems.notFound(KEY.resource));
      try {
        return { alerts: await previewAlerts(db, { orgId, from, to, settings: alerts, keyId }) };
      } catch (err) {
        if (!(err instanceof PreviewTooLargeError)) throw err;
        throw new ApiError(
          problems.invalidRequest([`from: ${err.message}; narrow the range (from, to) or name a keyId`]),
        );
      }
    },
  );
};
