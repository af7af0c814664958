import type { RuleName } from '@keywatch/rules';
import { and, count, desc, eq, gt, isNull, or } from 'drizzle-orm';
import type { Db } from './client.ts';
import { lockOrg, OrgLimitError } from './limits.ts';
import { silences } from './schema.ts';

export type Silence = typeof silences.$inferSelect;

/** The silence that mutes an alert of this key and rule now, if any (the longest-lasting one). */
export async function activeSilence(
  db: Db,
  alert: { orgId: string; keyId: string; rule: RuleName },
  now: Date,
): Promise<Silence | undefined> {
  const [silence] = await db
    .select()
    .from(silences)
    .where(
      and(
        eq(silences.orgId, alert.orgId),
        gt(silences.until, now),
        or(isNull(silences.keyId), eq(silences.keyId, alert.keyId)),
        or(isNull(silences.rule), eq(silences.rule, alert.rule)),
      ),
    )
    .orderBy(desc(silences.until))
    .limit(1);
  return silence;
}

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
