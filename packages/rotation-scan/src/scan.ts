import type { Config } from '@keywatch/config';
import { apiKeys, column, type Database, orgs, rotationReminders, rotationScans } from '@keywatch/db';
import {
  type DeliverJob,
  type DigestDestination,
  enqueueDeliveries,
  type KeyReminder,
  type RotationDigestJob,
  rotationDigest,
} from '@keywatch/jobs';
import { type Route, routeAlert, routeEscalation } from '@keywatch/notify';
import {
  type AlertSettings,
  type Channel,
  type DestinationPolicy,
  EXPIRY_REMINDER_DAYS,
  effectiveSettings,
  isLiveSql,
  needsRotationFlagSql,
  type Reminder,
  type RotationPolicy,
  remindersDue,
  rotationDueAtSql,
  type SentReminder,
} from '@keywatch/rules';
import type { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';

// Any fixed number: only the replica holding it scans.
const ROTATION_LOCK = 4_811_021;

export interface RotationScanOptions {
  database: Database;
  asOf: Date;
  policy: RotationPolicy;
  dryRun: boolean;
  /** Where reminders go; not needed for a dry run. */
  deliver?: Queue<DeliverJob>;
  /** The installation's channels: what it can send on, and where notifications go by default. */
  channels: { available: readonly Channel[]; defaults: readonly Channel[]; policy: DestinationPolicy };
}

/** The policy the env sets. */
export const rotationPolicy = (
  config: Pick<
    Config,
    'ROTATION_MAX_AGE_DAYS' | 'ROTATION_REMIND_EVERY_DAYS' | 'ROTATION_ESCALATE_AFTER_DAYS'
  >,
): RotationPolicy => ({
  maxAgeDays: config.ROTATION_MAX_AGE_DAYS,
  remindEveryDays: config.ROTATION_REMIND_EVERY_DAYS,
  escalateAfterDays: config.ROTATION_ESCALATE_AFTER_DAYS,
});

/** The contract's summary: key ids flagged and reminded by this scan. */
export interface RotationScan {
  flagged: string[];
  /** Keys sent any reminder: rotation, escalation or expiry. */
  reminded: string[];
  /** True when another replica held the scan lock and this one did nothing. */
  skipped: boolean;
}

/** A key that may be owed a reminder, with its settings and the reminders it was already sent. */
type Candidate = {
  id: string;
  org_id: string;
  type: string;
  owner_email: string | null;
  created_at: string;
  expires_at: string | null;
  rotation_due_at: string | null;
  key_alerts: AlertSettings | null;
  sent: { kind: Reminder['kind']; at: string; sequence: number; remindedAt: string }[];
};

/** One reminder owed to one key of an org, and where its routing sends it. */
interface Owed extends KeyReminder {
  orgId: string;
  routes: Route[];
}

/**
 * One scan, by one replica at a time (a session advisory lock, released if the process dies):
 * flags set-wise every live key older than the limit (the SQL form of rules' needsRotationFlag),
 * then asks rules' remindersDue what each flagged or expiring key is owed, and queues them on the
 * deliver path grouped per destination: one message per org and route, whatever the number of
 * keys (see digestsOf). Reminders are queued before the ledger records them, so a crash in between
 * sends nothing twice (the re-run queues the same job ids, and delivery records dedupe) and loses
 * nothing (the next scan re-queues).
 */
export async function runRotationScan(options: RotationScanOptions): Promise<RotationScan> {
  const { database, asOf, dryRun, deliver } = options;
  const started = Date.now();
  const lock = await database.sql.reserve();
  try {
    const [held] = await lock`select pg_try_advisory_lock(${ROTATION_LOCK}) as locked`;
    if (!held?.locked) return { flagged: [], reminded: [], skipped: true };
    try {
      if (dryRun || !deliver) return { flagged: idsOf(await flag(options)), reminded: [], skipped: false };
      // Read before flagging: the keys flagged now come back from the flag itself, so no key is
      // read twice (a tenth of a million keys due is a tenth of a million rows).
      const earlier = await flaggedEarlierOrExpiring(options);
      const flagged = await flag(options);
      const owed = await remindersOwed(options, [...earlier, ...flagged]);
      const reminded = [...new Set(owed.map((o) => o.keyId))];
      await enqueueDeliveries(deliver, digestsOf(owed, asOf));
      await record(options, owed);
      await database.db.insert(rotationScans).values({
        asOf,
        flagged: flagged.length,
        reminded: reminded.length,
        durationMs: Date.now() - started,
      });
      return { flagged: idsOf(flagged), reminded, skipped: false };
    } finally {
      await lock`select pg_advisory_unlock(${ROTATION_LOCK})`;
    }
  } finally {
    lock.release();
  }
}

const idsOf = (keys: readonly Candidate[]) => keys.map((k) => k.id);
const k = alias(apiKeys, 'k'); // its columns as the statements below name them

/** What remindersDue and routing need of a key `k`, and the ledger's reminders of it. */
const candidateColumns = sql`
  k.id, k.org_id, k.type, k.owner_email, k.created_at, k.expires_at, k.rotation_due_at,
  k.alerts as key_alerts,
  coalesce((select json_agg(json_build_object('kind', r.kind, 'at', r.due_at,
              'sequence', r.sequence, 'remindedAt', r.reminded_at))
            from ${rotationReminders} r where r.key_id = k.id), '[]') as sent`;

/**
 * Flags the keys due now (a dry run only lists them), and returns them, oldest first: the
 * set-wise update of rules' needsRotationFlag, each key as a reminder candidate.
 */
async function flag({ database, asOf, policy, dryRun }: RotationScanOptions): Promise<Candidate[]> {
  const due = needsRotationFlagSql(k, asOf, policy.maxAgeDays);
  const rows = await database.db.execute<Candidate>(
    dryRun
      ? sql`select ${candidateColumns} from ${apiKeys} k where ${due}`
      : sql`update ${apiKeys} k set rotation_due_at = ${rotationDueAtSql(k, policy.maxAgeDays)}
            where ${due} returning ${candidateColumns}`,
  );
  return sortedBy(rows, (key) => Date.parse(key.created_at));
}

/** Live keys flagged by an earlier scan, or expiring within the first expiry reminder's days. */
async function flaggedEarlierOrExpiring({ database, asOf }: RotationScanOptions): Promise<Candidate[]> {
  const at = sql`${asOf.toISOString()}::timestamptz`;
  return [
    ...(await database.db.execute<Candidate>(sql`
      select ${candidateColumns} from ${apiKeys} k
      where ${isLiveSql(k, asOf)}
        and (k.rotation_due_at <= ${at}
             or k.expires_at <= ${at} + ${EXPIRY_REMINDER_DAYS[0]} * interval '24 hours')`)),
  ];
}

/** Each org's alert settings, read once per org rather than once per key. */
async function orgSettings({ database }: RotationScanOptions, orgIds: readonly string[]) {
  const rows = await database.db.execute<{ id: string; alerts: AlertSettings | null }>(
    sql`select id, alerts from ${orgs} where id = any(${column(orgIds, 'uuid')})`,
  );
  return new Map(rows.map((o) => [o.id, o.alerts]));
}

/** The sooner of what a candidate is reminded of: its due date, else its expiry. */
const dueOrExpiry = (c: Candidate) => Date.parse((c.rotation_due_at ?? c.expires_at)!);

/**
 * Keys in the order of a time taken once from each (not twice per comparison: a hundred thousand
 * keys), then by id.
 */
function sortedBy(keys: Iterable<Candidate>, time: (key: Candidate) => number): Candidate[] {
  return [...keys]
    .map((key) => ({ key, at: time(key) }))
    .sort((a, b) => a.at - b.at || (a.key.id < b.key.id ? -1 : a.key.id > b.key.id ? 1 : 0))
    .map(({ key }) => key);
}

/**
 * The reminders owed at `asOf` to the candidates (a key flagged now that also expires soon is
 * among both the earlier and the flagged ones: the flag's row, read last, wins), each with the
 * routes its routing asks for; the most overdue keys first.
 */
async function remindersOwed(options: RotationScanOptions, found: readonly Candidate[]): Promise<Owed[]> {
  const { asOf, policy, channels } = options;
  const candidates = sortedBy(new Map(found.map((c) => [c.id, c])).values(), dueOrExpiry);
  const settings = await orgSettings(options, [...new Set(candidates.map((c) => c.org_id))]);
  const owed: Owed[] = [];
  for (const c of candidates) {
    const key = {
      createdAt: new Date(c.created_at),
      expiresAt: c.expires_at ? new Date(c.expires_at) : null,
      revokedAt: null,
      rotatedAt: null,
      rotationDueAt: c.rotation_due_at ? new Date(c.rotation_due_at) : null,
    };
    const sent = c.sent.map((s) => ({
      ...s,
      at: new Date(s.at),
      remindedAt: new Date(s.remindedAt),
    })) as SentReminder[];
    const orgAlerts = settings.get(c.org_id) ?? null;
    for (const reminder of remindersDue(key, sent, asOf, policy)) {
      const routes: Route[] =
        reminder.kind === 'escalation'
          ? routeEscalation(orgAlerts, channels)
          : routeAlert({
              settings: effectiveSettings(orgAlerts, c.key_alerts),
              key: { type: c.type, ownerEmail: c.owner_email },
              ...channels,
            });
      owed.push({ keyId: c.id, orgId: c.org_id, reminder, routes });
    }
  }
  return owed;
}

/**
 * The scan's reminders as messages: one per destination (an org and a route), listing the most
 * overdue of its keys and counting the rest. Never two orgs in one message: a tenant's keys never
 * reach another tenant, even when both send to the installation's default channel.
 *
 * An escalation shares the message of its destination rather than having its own: it goes to the
 * org's security channel, where reminders usually do not go, so it is alone there anyway; where
 * both go to the same place (the defaults), one message, critical when any reminder in it is an
 * escalation, says it all, and escalated keys (long overdue) sort near the top of its list.
 */
function digestsOf(owed: readonly Owed[], asOf: Date): RotationDigestJob[] {
  const groups = new Map<string, { destination: DigestDestination; reminders: KeyReminder[] }>();
  for (const o of owed)
    for (const { channel, to } of o.routes) {
      const id = `${o.orgId}\0${channel}\0${to ?? ''}`; // NUL is in no org id, channel or address
      const group = groups.get(id) ?? { destination: { orgId: o.orgId, channel, to }, reminders: [] };
      group.reminders.push(o);
      groups.set(id, group);
    }
  return [...groups.values()].map((g) => rotationDigest(g.destination, asOf, g.reminders));
}

/**
 * Records every reminder in the ledger (the cadence counts from it), in one statement: all or
 * none, so that a scan re-run after a crash owes exactly the reminders of the digests it queued.
 */
async function record({ database, asOf }: RotationScanOptions, owed: readonly Owed[]) {
  if (owed.length === 0) return;
  await database.db.execute(sql`
    insert into ${rotationReminders} (key_id, kind, due_at, sequence, reminded_at)
    select key_id, kind, due_at, sequence, ${asOf.toISOString()}::timestamptz
    from unnest(
      ${column(
        owed.map((o) => o.keyId),
        'uuid',
      )},
      ${column(
        owed.map((o) => o.reminder.kind),
        'text',
      )},
      ${column(
        owed.map((o) => o.reminder.at.toISOString()),
        'timestamptz',
      )},
      ${column(
        owed.map((o) => o.reminder.sequence),
        'int4',
      )}
    ) as t(key_id, kind, due_at, sequence)
    on conflict do nothing`);
}

/** When the last scan ran (by wall clock), if one ever did: a missed one is caught up at start. */
export async function lastScanAt(database: Database): Promise<Date | null> {
  const [row] = await database.db
    .select({ ranAt: sql<string | null>`max(${rotationScans.ranAt})` })
    .from(rotationScans);
  return row?.ranAt ? new Date(row.ranAt) : null;
}
