import { type ApiKey, alerts, apiKeys, type Db, deliveries, orgs, silenceInForce } from '@keywatch/db';
import { type DeliverJob, deliveryKey } from '@keywatch/jobs';
import { bucketStartSql } from '@keywatch/rules';
import { and, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { type DigestJob, type GateFacts, type ListedKey, stormDigest } from './gate.ts';

type Alert = typeof alerts.$inferSelect;
type Delivery = typeof deliveries.$inferSelect;

const CLAIM_MS = 20_000; // well beyond one send's 10 s timeout

/** A delivery's record once the attempt is over: the one place its status changes after the claim. */
export type Finish =
  | { status: 'sent'; externalId: string | null }
  | { status: 'failed' | 'pending'; error: string }
  | { status: 'silenced' | 'cancelled'; error: string }
  | { status: 'grouped' };

/**
 * Records the delivery and claims it for this worker in one statement: one sender at a time. A
 * claim older than CLAIM_MS was left by a worker that died mid-send, and may be taken over. Returns
 * the claimed record, or the status of one that cannot be claimed now.
 */
export async function claimDelivery(
  db: Db,
  job: DeliverJob,
): Promise<{ claimed: Delivery } | { status: Delivery['status'] | undefined }> {
  const dedupeKey = deliveryKey(job);
  const now = new Date();
  const [claimed] = await db
    .insert(deliveries)
    .values({
      dedupeKey,
      kind: job.kind,
      channel: job.channel,
      alertId: job.kind === 'alert' || job.kind === 'resolution' ? job.alertId : null,
      keyId: job.kind === 'rotation_reminder' ? job.keyId : null,
      recipient: job.to ?? null,
      status: 'sending',
      claimedAt: now,
    })
    .onConflictDoUpdate({
      target: deliveries.dedupeKey,
      set: { status: 'sending', claimedAt: now },
      setWhere: or(
        inArray(deliveries.status, ['pending', 'failed']),
        and(eq(deliveries.status, 'sending'), lt(deliveries.claimedAt, new Date(now.getTime() - CLAIM_MS))),
      ),
    })
    .returning();
  if (claimed) return { claimed };
  const [current] = await db
    .select({ status: deliveries.status })
    .from(deliveries)
    .where(eq(deliveries.dedupeKey, dedupeKey));
  return { status: current?.status };
}

export async function finishDelivery(db: Db, id: string, finish: Finish): Promise<void> {
  const attempted = finish.status === 'sent' || finish.status === 'failed' || finish.status === 'pending';
  await db
    .update(deliveries)
    .set({
      status: finish.status,
      ...(attempted ? { attempts: sql`${deliveries.attempts} + 1` } : {}),
      ...(finish.status === 'sent' ? { sentAt: new Date(), externalId: finish.externalId, error: null } : {}),
      ...('error' in finish ? { error: finish.error } : {}),
    })
    .where(eq(deliveries.id, id));
}

/** What sending a delivery needs: the alert, the key it is about, and the gate's facts. */
export interface DeliveryFacts extends GateFacts {
  alert: Alert | undefined;
  subject: { key: ApiKey; orgSlug: string } | undefined;
  /** A rotation digest's org, by its slug (undefined once deleted). */
  orgSlug?: string | undefined;
}

/** Facts of a delivery about no alert: nothing silences it or counts in a storm. */
const NO_ALERT = { alert: undefined, subject: undefined, silence: null, storm: null, digestSent: false };

/** The keys a rotation digest lists, those of its org only, and the org's slug. */
async function digestFacts(db: Db, job: Extract<DeliverJob, { kind: 'rotation_digest' }>) {
  const ids = job.listed.map((line) => line.keyId);
  const [listedKeys, [org]] = await Promise.all([
    db
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        prefix: apiKeys.prefix,
        rotatedAt: apiKeys.rotatedAt,
        revokedAt: apiKeys.revokedAt,
      })
      .from(apiKeys)
      .where(and(eq(apiKeys.orgId, job.orgId), inArray(apiKeys.id, ids))),
    db.select({ slug: orgs.slug }).from(orgs).where(eq(orgs.id, job.orgId)),
  ]);
  return { listedKeys: listedKeys satisfies ListedKey[], orgSlug: org?.slug };
}

/**
 * Everything about a delivery in one query: its alert, the alert's key and org, the silence in
 * force and the alert's place in its minute's storm bound (an org's alerts, or the installation's
 * keyless ones); a reminder's key and org; the keys a rotation digest lists and its org. Past the
 * bound, one more read: whether the minute's digest on this route already went out.
 */
export async function loadDeliveryFacts(db: Db, job: DeliverJob, stormLimit: number): Promise<DeliveryFacts> {
  if (job.kind === 'digest') return NO_ALERT;
  if (job.kind === 'rotation_digest') return { ...NO_ALERT, ...(await digestFacts(db, job)) };
  if (job.kind === 'rotation_reminder') {
    const [subject] = await db
      .select({ key: apiKeys, orgSlug: orgs.slug })
      .from(apiKeys)
      .innerJoin(orgs, eq(orgs.id, apiKeys.orgId))
      .where(eq(apiKeys.id, job.keyId));
    return { ...NO_ALERT, subject, reminderKey: subject?.key };
  }
  const [row] = await db
    .select({
      alert: alerts,
      key: apiKeys,
      orgSlug: orgs.slug,
      silence: silenceInForce(alerts, new Date()),
      // Storm bounds are per minute: the alerts since the start of this one's.
      alertsBefore: sql<number>`(
        select count(*)::int from ${alerts} earlier
        where (case when ${alerts.orgId} is null
                    then earlier.org_id is null and earlier.key_id is null
                    else earlier.org_id = ${alerts.orgId} end)
          and earlier.created_at >= ${bucketStartSql('minute', alerts.createdAt)}
          and (earlier.created_at, earlier.id) < (${alerts.createdAt}, ${alerts.id}))`,
    })
    .from(alerts)
    .leftJoin(apiKeys, eq(apiKeys.id, alerts.keyId))
    .leftJoin(orgs, eq(orgs.id, apiKeys.orgId))
    .where(eq(alerts.id, job.alertId));
  if (!row) return NO_ALERT;
  const { alert } = row;
  // An org's alerts share its bound; keyless alerts (credential stuffing) share the installation's.
  const storm =
    (alert.orgId && alert.keyId) || (!alert.orgId && !alert.keyId)
      ? { orgId: alert.orgId, createdAt: alert.createdAt, alertsBefore: row.alertsBefore }
      : null;
  const digestSent =
    job.kind === 'alert' && storm !== null && storm.alertsBefore >= stormLimit
      ? await digestWentOut(db, stormDigest(job, storm))
      : false;
  return {
    alert,
    subject: row.key && row.orgSlug ? { key: row.key, orgSlug: row.orgSlug } : undefined,
    silence: row.silence,
    storm,
    digestSent,
  };
}

async function digestWentOut(db: Db, digest: DigestJob): Promise<boolean> {
  const [sent] = await db
    .select({ status: deliveries.status })
    .from(deliveries)
    .where(eq(deliveries.dedupeKey, deliveryKey(digest)));
  return sent?.status === 'sent';
}
