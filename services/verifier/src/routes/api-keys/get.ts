import { apiKeys, findOrgKey, keyView } from '@keywatch/db';
import { describeIssues, errorBody, invalidRequest } from '@keywatch/keys';
import { and, eq, gt, isNull, not, or, type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { keyset, pageFields } from '../page.ts';
import { keyIdOr404, keyNotFound } from './params.ts';

const listQuery = z.object({
  /** `true`: only the live keys past their rotation date, oldest first; `false`: all others. */
  rotationDue: z.enum(['true', 'false']).optional(),
  ...pageFields,
});

/**
 * Live keys past their rotation date: flagged by the scan or, before the day's scan, old enough
 * (the same rule as the X-Key-Rotation-Due header).
 */
function rotationDue(maxAgeDays: number, now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  return and(
    isNull(apiKeys.revokedAt),
    isNull(apiKeys.rotatedAt),
    or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
    sql`coalesce(${apiKeys.rotationDueAt}, ${apiKeys.createdAt} + ${maxAgeDays} * interval '24 hours') < ${at}`,
  )!;
}

/** `GET /api/api-keys[?rotationDue=&limit=&cursor=]` and `GET /api/api-keys/:id`: never secrets or hashes. */
export async function getKeyRoutes(app: FastifyInstance) {
  app.get('/api/api-keys', async (request, reply) => {
    const query = listQuery.safeParse(request.query);
    if (!query.success) return reply.code(400).send(errorBody(invalidRequest(describeIssues(query.error))));
    const due = rotationDue(app.deps.config.ROTATION_MAX_AGE_DAYS, new Date());
    const { rotationDue: wanted, ...page } = query.data;
    const order = keyset(wanted === 'true' ? 'asc' : 'desc', apiKeys.createdAt, apiKeys.id, page);
    const selected = app.deps.database.db
      .select({ row: apiKeys, at: order.at })
      .from(apiKeys)
      .where(
        and(
          eq(apiKeys.orgId, request.caller.orgId),
          wanted === 'true' ? due : wanted === 'false' ? not(due) : undefined,
          order.where,
        ),
      )
      .orderBy(...order.orderBy);
    const { rows, nextCursor } = order.page(await (order.fetch ? selected.limit(order.fetch) : selected));
    return { keys: rows.map(keyView), nextCursor };
  });

  app.get('/api/api-keys/:id', async (request, reply) => {
    const id = keyIdOr404(request, reply);
    if (!id) return reply;
    const key = await findOrgKey(app.deps.database.db, request.caller.orgId, id);
    return key ? keyView(key) : keyNotFound(reply);
  });
}
