import { alerts, alertView, deliveries } from '@keywatch/db';
import { describeIssues, errorBody, invalidRequest } from '@keywatch/keys';
import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { keyset, pageFields } from './page.ts';

const alertsQuery = z.object({
  keyId: z.uuid().optional(),
  state: z.enum(['firing', 'resolved']).optional(),
  ...pageFields,
  // As before pagination: without a limit, the newest 100.
  limit: pageFields.limit.default(100),
});

/** `GET /api/alerts?keyId=&state=&limit=&cursor=`: the org's alerts, newest first, with their deliveries. */
export async function alertsRoute(app: FastifyInstance) {
  app.get('/api/alerts', async (request, reply) => {
    const query = alertsQuery.safeParse(request.query);
    if (!query.success) return reply.code(400).send(errorBody(invalidRequest(describeIssues(query.error))));
    const { keyId, state, ...page } = query.data;
    const db = app.deps.database.db;
    const order = keyset('desc', alerts.createdAt, alerts.id, page);
    const { rows, nextCursor } = order.page(
      await db
        .select({ row: alerts, at: order.at })
        .from(alerts)
        .where(
          and(
            eq(alerts.orgId, request.caller.orgId),
            keyId ? eq(alerts.keyId, keyId) : undefined,
            state ? eq(alerts.state, state) : undefined,
            order.where,
          ),
        )
        .orderBy(...order.orderBy)
        .limit(page.limit + 1),
    );
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
      nextCursor,
      alerts: rows.map((a) => {
        return {
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
        };
      }),
    };
  });
}
