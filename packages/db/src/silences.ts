import { type AnyColumn, and, count, eq, gt, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { lockOrg, OrgLimitError } from './limits.ts';
import { keyset, type Page, type PageRequest } from './page.ts';
import { silences } from './schema.ts';

export type Silence = typeof silences.$inferSelect;

export interface SilenceInForce {
  until: Date;
  reason: string;
}

/**
 * The silence that mutes an alert at `now`, if any (the longest-lasting one): its org's, for its
 * key or all keys, for its rule or all rules. A subquery over the alert's columns, so the delivery
 * that asks reads it in the same round trip as the alert; null when none (or for a keyless alert).
 */
export const silenceInForce = (
  alert: { orgId: AnyColumn | SQL; keyId: AnyColumn | SQL; rule: AnyColumn | SQL },
  now: Date,
) =>
  sql`(select json_build_object('until', ${silences.until}, 'reason', ${silences.reason})
    from ${silences}
    where ${and(
      eq(silences.orgId, alert.orgId),
      gt(silences.until, now),
      or(isNull(silences.keyId), eq(silences.keyId, alert.keyId)),
      or(isNull(silences.rule), eq(silences.rule, alert.rule)),
    )}
    order by ${silences.until} desc limit 1)`.mapWith((row: { until: string; reason: string } | null) =>
    row ? { until: new Date(row.until), reason: row.reason } : null,
  );

/**
 * Records a silence; throws an OrgLimitError when the org already has `maxInForce` in force (an
 * expired or lifted one no longer counts).
 */
export async function createSilence(
  db: Db,
  values: typeof silences.$inferInsert,
  maxInForce: number,
): Promise<Silence> {
  return db.transaction(async (tx) => {
    await lockOrg(tx, values.orgId);
    const [held] = await tx
      .select({ n: count() })
      .from(silences)
      .where(and(eq(silences.orgId, values.orgId), gt(silences.until, new Date())));
    if (held!.n >= maxInForce)
      throw new OrgLimitError(
        `org has ${held!.n} silences in force, the most allowed (ORG_MAX_SILENCES); lift one first`,
      );
    const [created] = await tx.insert(silences).values(values).returning();
    return created!;
  });
}

/** A page of the org's silences in force at `now`, newest first. */
export async function listSilencesInForce(
  db: Db,
  orgId: string,
  page: PageRequest,
  now = new Date(),
): Promise<Page<Silence>> {
  const order = keyset('desc', silences.createdAt, silences.id, page);
  const selected = db
    .select({ row: silences, at: order.at })
    .from(silences)
    .where(and(eq(silences.orgId, orgId), gt(silences.until, now), order.where))
    .orderBy(...order.orderBy);
  return order.page(await (order.fetch ? selected.limit(order.fetch) : selected));
}

/** Ends the org's silence now; undefined when it has no such silence in force (another org's is as good as absent). */
export async function liftSilence(
  db: Db,
  orgId: string,
  id: string,
  now = new Date(),
): Promise<Silence | undefined> {
  const [lifted] = await db
    .update(silences)
    .set({ until: now })
    .where(and(eq(silences.id, id), eq(silences.orgId, orgId), gt(silences.until, now)))
    .returning();
  return lifted;
}
