import { alerts, apiKeys, type Db, deliveries, orgs } from '@keywatch/db';
import type { DigestJob } from './gate.ts';
import type { Notification } from '@keywatch/notify';
import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm';

/** The alerts that share a storm bound: an org's, or (null) the installation's keyless ones. */
const stormOf = (orgId: string | null): SQL =>
  orgId ? eq(alerts.orgId, orgId) : and(isNull(alerts.orgId), isNull(alerts.keyId))!;

/** One message for the alerts a storm grouped on this route in that minute. */
export async function digestNotification(db: Db, job: DigestJob): Promise<Notification> {
  if (job.orgId === null) return sourceDigestNotification(db, job);
  const grouped = await db
    .select({ rule: alerts.rule, subject: alerts.subject, keyName: apiKeys.name, prefix: apiKeys.prefix })
    .from(deliveries)
    .innerJoin(alerts, eq(alerts.id, deliveries.alertId))
    .innerJoin(apiKeys, eq(apiKeys.id, alerts.keyId))
    .where(
      and(
        eq(alerts.orgId, job.orgId),
        eq(deliveries.status, 'grouped'),
        eq(deliveries.channel, job.channel),
        job.to ? eq(deliveries.recipient, job.to) : sql`${deliveries.recipient} is null`,
        sql`date_trunc('minute', ${alerts.createdAt}) = ${job.minute}::timestamptz`,
      ),
    )
    .orderBy(asc(alerts.createdAt));
  const [org] = await db.select({ slug: orgs.slug }).from(orgs).where(eq(orgs.id, job.orgId));
  const minute = `${job.minute.slice(0, 16).replace('T', ' ')} UTC`;
  const shown = grouped.slice(0, 20).map((a) => `${a.rule} (${a.subject}): ${a.keyName} (${a.prefix}…)`);
  const more = grouped.length - shown.length;
  return {
    title: `Alert storm: ${grouped.length} more alerts in org ${org?.slug ?? job.orgId}`,
    severity: 'critical',
    summary: `Alert storm: ${grouped.length} more alerts in org ${org?.slug ?? job.orgId} at ${minute}, grouped into this message`,
    fields: [
      { label: 'Alerts', value: shown.join('\n') + (more > 0 ? `\n…and ${more} more` : '') },
      { label: 'All of them', value: 'GET /api/alerts' },
    ],
  };
}

/** The keyless alerts (credential stuffing, one per source IP) a storm grouped in that minute. */
async function sourceDigestNotification(db: Db, job: DigestJob): Promise<Notification> {
  const grouped = await db
    .select({ details: alerts.details, subject: alerts.subject })
    .from(deliveries)
    .innerJoin(alerts, eq(alerts.id, deliveries.alertId))
    .where(
      and(
        stormOf(null),
        eq(deliveries.status, 'grouped'),
        eq(deliveries.channel, job.channel),
        job.to ? eq(deliveries.recipient, job.to) : sql`${deliveries.recipient} is null`,
        sql`date_trunc('minute', ${alerts.createdAt}) = ${job.minute}::timestamptz`,
      ),
    )
    .orderBy(asc(alerts.createdAt));
  const minute = `${job.minute.slice(0, 16).replace('T', ' ')} UTC`;
  const sources = grouped.map((a) => String(a.details.ip ?? a.subject));
  const shown = sources.slice(0, 50);
  const more = sources.length - shown.length;
  return {
    title: `Credential stuffing storm: ${grouped.length} more sources`,
    severity: 'critical',
    summary: `Credential stuffing storm: ${grouped.length} more sources at ${minute}, grouped into this message`,
    fields: [{ label: 'Sources', value: shown.join(', ') + (more > 0 ? ` …and ${more} more` : '') }],
  };
}
