import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from './client.ts';
import { keyset, type Page, type PageRequest } from './page.ts';
import { alerts, deliveries } from './schema.ts';

export type Alert = typeof alerts.$inferSelect;
export type Delivery = typeof deliveries.$inferSelect;

/** Which of an org's alerts a list holds: each field given narrows it. */
export interface AlertFilter {
  keyId?: string | undefined;
  state?: Alert['state'] | undefined;
  rule?: Alert['rule'] | undefined;
  severity?: Alert['severity'] | undefined;
}

/** A page of the org's alerts that pass the filter, newest first. */
export async function listAlerts(
  db: Db,
  orgId: string,
  { keyId, state, rule, severity }: AlertFilter,
  page: PageRequest,
): Promise<Page<Alert>> {
  const order = keyset('desc', alerts.createdAt, alerts.id, page);
  const selected = db
    .select({ row: alerts, at: order.at })
    .from(alerts)
    .where(
      and(
        eq(alerts.orgId, orgId),
        keyId ? eq(alerts.keyId, keyId) : undefined,
        state ? eq(alerts.state, state) : undefined,
        rule ? eq(alerts.rule, rule) : undefined,
        severity ? eq(alerts.severity, severity) : undefined,
        order.where,
      ),
    )
    .orderBy(...order.orderBy);
  return order.page(await (order.fetch ? selected.limit(order.fetch) : selected));
}

/** The deliveries of these alerts, oldest first (none for no alerts, without a query). */
export async function alertDeliveries(db: Db, alertIds: readonly string[]): Promise<Delivery[]> {
  if (alertIds.length === 0) return [];
  return db
    .select()
    .from(deliveries)
    .where(inArray(deliveries.alertId, [...alertIds]))
    .orderBy(deliveries.createdAt);
}
