import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import type { Db } from './client.ts';
import { silences } from './schema.ts';

export type Silence = typeof silences.$inferSelect;

/** The silence that mutes an alert of this key and rule now, if any (the longest-lasting one). */
export async function activeSilence(
  db: Db,
  alert: { orgId: string; keyId: string; rule: string },
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
