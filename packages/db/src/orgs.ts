import type { AlertSettings } from '@keywatch/rules';
import { eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import type { Actor } from './keys.ts';
import { auditLog, orgs } from './schema.ts';

/** When the org was created (the default start of its reports); undefined for no such org. */
export async function orgCreatedAt(db: Db, orgId: string): Promise<Date | undefined> {
  const [org] = await db.select({ createdAt: orgs.createdAt }).from(orgs).where(eq(orgs.id, orgId));
  return org?.createdAt;
}

/** The org's default alert settings (null: none; every key then has only its own). */
export async function orgAlertSettings(db: Db, orgId: string): Promise<AlertSettings | null> {
  const [org] = await db.select({ alerts: orgs.alerts }).from(orgs).where(eq(orgs.id, orgId));
  return org?.alerts ?? null;
}

/** Replaces the org's default alert settings, with an audit record of before and after. */
export function setOrgAlertSettings(
  db: Db,
  orgId: string,
  actor: Actor,
  alerts: AlertSettings | null,
): Promise<AlertSettings | null> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ alerts: orgs.alerts })
      .from(orgs)
      .where(eq(orgs.id, orgId))
      .for('update');
    await tx.update(orgs).set({ alerts }).where(eq(orgs.id, orgId));
    await tx.insert(auditLog).values({
      orgId,
      actorKeyId: actor,
      action: 'org.alert_settings.update',
      keyId: null,
      before: { alerts: before?.alerts ?? null },
      after: { alerts },
    });
    return alerts;
  });
}
