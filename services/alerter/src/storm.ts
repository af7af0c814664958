import { alerts, apiKeys, type Db, deliveries, orgs } from '@keywatch/db';
import { type Notification, sourceStormDigestNotification, stormDigestNotification } from '@keywatch/notify';
import { bucketStartSql } from '@keywatch/rules';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { DigestJob } from './gate.ts';

/** The deliveries a storm grouped on this digest's route in its minute, of its org or keyless alerts. */
const groupedOnRoute = (job: DigestJob) =>
  and(
    job.orgId ? eq(alerts.orgId, job.orgId) : and(isNull(alerts.orgId), isNull(alerts.keyId)),
    eq(deliveries.status, 'grouped'),
    eq(deliveries.channel, job.channel),
    job.to ? eq(deliveries.recipient, job.to) : sql`${deliveries.recipient} is null`,
    sql`${bucketStartSql('minute', alerts.createdAt)} = ${job.minute}::timestamptz`,
  );

/** The digest's message: the alerts the storm grouped on its route in that minute, oldest first. */
export async function digestNotification(db: Db, job: DigestJob): Promise<Notification> {
  const minute = new Date(job.minute);
  if (job.orgId === null) {
    const grouped = await db
      .select({ details: alerts.details, subject: alerts.subject })
      .from(deliveries)
      .innerJoin(alerts, eq(alerts.id, deliveries.alertId))
      .where(groupedOnRoute(job))
      .orderBy(asc(alerts.createdAt));
    return sourceStormDigestNotification(
      minute,
      grouped.map((a) => String(a.details.ip ?? a.subject)),
    );
  }
  const [grouped, [org]] = await Promise.all([
    db
      .select({ rule: alerts.rule, subject: alerts.subject, keyName: apiKeys.name, prefix: apiKeys.prefix })
      .from(deliveries)
      .innerJoin(alerts, eq(alerts.id, deliveries.alertId))
      .innerJoin(apiKeys, eq(apiKeys.id, alerts.keyId))
      .where(groupedOnRoute(job))
      .orderBy(asc(alerts.createdAt)),
    db.select({ slug: orgs.slug }).from(orgs).where(eq(orgs.id, job.orgId)),
  ]);
  return stormDigestNotification(org?.slug ?? job.orgId, minute, grouped);
}
