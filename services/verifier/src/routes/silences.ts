import { createSilence, findOrgKey, OrgLimitError, orLimitError, silences } from '@keywatch/db';
import { conflict, describeIssues, errorBody, invalidRequest, notFound } from '@keywatch/keys';
import { and, eq, gt } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { keyset, pageFields } from './page.ts';

const MAX_DAYS = 90;
const newSilence = z
  .strictObject({
    keyId: z.uuid().optional(),
    rule: z.enum(['highUsage', 'failures', 'unusualActivity']).optional(),
    until: z.iso
      .datetime({ offset: true })
      .transform((v) => new Date(v))
      .refine((d) => d.getTime() > Date.now(), 'must be in the future')
      .refine((d) => d.getTime() <= Date.now() + MAX_DAYS * 86_400_000, `at most ${MAX_DAYS} days ahead`),
    reason: z.string().trim().min(1).max(500),
  })
  .refine((s) => s.keyId || s.rule, { path: ['keyId'], message: 'keyId or rule (or both) is required' });

const view = (s: typeof silences.$inferSelect) => ({
  id: s.id,
  keyId: s.keyId,
  rule: s.rule,
  until: s.until.toISOString(),
  reason: s.reason,
  createdBy: s.createdBy,
  createdAt: s.createdAt.toISOString(),
});

/**
 * `POST /api/silences` `{ keyId?, rule?, until, reason }` mutes matching notifications (the alerts
 * are still recorded); `GET /api/silences` lists those in force; `DELETE /api/silences/:id` lifts one.
 */
export async function silenceRoutes(app: FastifyInstance) {
  const db = app.deps.database.db;

  app.post('/api/silences', async (request, reply) => {
    const parsed = newSilence.safeParse(request.body ?? {});
    if (!parsed.success) return reply.code(400).send(errorBody(invalidRequest(describeIssues(parsed.error))));
    const { keyId, rule, until, reason } = parsed.data;
    const { orgId } = request.caller;
    if (keyId && !(await findOrgKey(db, orgId, keyId)))
      return reply.code(404).send(errorBody(notFound('API key')));
    const created = await orLimitError(
      createSilence(
        db,
        { orgId, keyId: keyId ?? null, rule: rule ?? null, until, reason, createdBy: request.caller.keyId },
        app.deps.config.ORG_MAX_SILENCES,
      ),
    );
    if (created instanceof OrgLimitError) return reply.code(409).send(errorBody(conflict(created.message)));
    return reply.code(201).send(view(created));
  });

  app.get('/api/silences', async (request, reply) => {
    const query = z.object(pageFields).safeParse(request.query);
    if (!query.success) return reply.code(400).send(errorBody(invalidRequest(describeIssues(query.error))));
    const order = keyset('desc', silences.createdAt, silences.id, query.data);
    const selected = db
      .select({ row: silences, at: order.at })
      .from(silences)
      .where(and(eq(silences.orgId, request.caller.orgId), gt(silences.until, new Date()), order.where))
      .orderBy(...order.orderBy);
    const { rows, nextCursor } = order.page(await (order.fetch ? selected.limit(order.fetch) : selected));
    return { silences: rows.map(view), nextCursor };
  });

  app.delete('/api/silences/:id', async (request, reply) => {
    const id = z.uuid().safeParse((request.params as { id: string }).id);
    const [lifted] = id.success
      ? await db
          .update(silences)
          .set({ until: new Date() })
          .where(
            and(
              eq(silences.id, id.data),
              eq(silences.orgId, request.caller.orgId),
              gt(silences.until, new Date()),
            ),
          )
          .returning()
      : [];
    if (!lifted) return reply.code(404).send(errorBody(notFound('Silence')));
    return view(lifted);
  });
}
