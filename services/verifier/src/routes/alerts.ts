import { alerts, deliveries } from '@keywatch/db';
import { describeIssues, errorBody, invalidRequest } from '@keywatch/keys';
import { windowOf } from '@keywatch/rules';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

const alertsQuery = z.object({
  keyId: z.uuid().optional(),
  state: z.enum(['firing', 'resolved']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** `GET /api/alerts?keyId=&state=&limit=`: the org's alerts, newest first, each with its deliveries. */
export async function alertsRoute(app: FastifyInstance) {
  app.get('/api/alerts', async (request, reply) => {
    const query = alertsQuery.safeParse(request.query);
    if (!query.success) return reply.code(400).send(errorBody(invalidRequest(describeIssues(query.error))));
    const { keyId, state, limit } = query.data;
    const db = app.deps.database.db;
    const rows = await db
      .select()
      .from(alerts)
      .where(
        and(
          eq(alerts.orgId, request.caller.orgId),
          keyId ? eq(alerts.keyId, keyId) : undefined,
          state ? eq(alerts.state, state) : undefined,
        ),
      )
      .orderBy(desc(alerts.createdAt), desc(alerts.id))
      .limit(limit);
    const sent =
      rows.length === 0
        ? []
        : await db
            .select()
            .from(deliveries)
            .where(
              inArray(
                deliveries.alertId,
                rows.map((r) => r.id),
              ),
            )
            .orderBy(deliveries.createdAt);
    return {
      alerts: rows.map((a) => {
        const window = windowOf(a.period, a.windowStart);
        return {
          id: a.id,
          keyId: a.keyId,
          rule: a.rule,
          state: a.state,
          window: { period: a.period, start: window.start.toISOString(), end: window.end.toISOString() },
          value: a.value,
          threshold: a.threshold,
          details: a.details,
          createdAt: a.createdAt.toISOString(),
          resolvedAt: a.resolvedAt?.toISOString() ?? null,
          deliveries: sent
            .filter((d) => d.alertId === a.id)
            .map((d) => ({
              channel: d.channel,
              status: d.status,
              attempts: d.attempts,
              error: d.error,
              sentAt: d.sentAt?.toISOString() ?? null,
            })),
        };
      }),
    };
  });
}
