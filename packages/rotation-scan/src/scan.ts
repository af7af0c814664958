import type { Config } from '@keywatch/config';
import { apiKeys, column, type Database, orgs, rotationReminders, rotationScans } from '@keywatch/db';
import { type DeliverJob, enqueueDeliveries } from '@keywatch/jobs';
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
/** Reminders queued and recorded per step; a few steps are in flight at once. */
const CHUNK = 2000;
const IN_FLIGHT = 4;

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
  org_alerts: AlertSettings | null;
  sent: { kind: Reminder['kind']; at: string; sequence: number; remindedAt: string }[];
};

/** One reminder owed to one key, and the deliveries that carry it. */
interface Owed {
  keyId: string;
  reminder: Reminder;
  jobs: DeliverJob[];
}

/**
 * One scan, by one replica at a time (a session advisory lock, released if the process dies):
 * flags set-wise every live key older than the limit (the SQL form of rules' needsRotationFlag),
 * then asks rules' remindersDue what each flagged or expiring key is owed and queues it on the
 * deliver path. Reminders are queued before the ledger records them, so a crash in between sends
 * nothing twice (job ids and delivery records dedupe) and loses nothing (the next scan re-queues).
 */
export async function runRotationScan(options: RotationScanOptions): Promise<RotationScan> {
  const { database, asOf, dryRun, deliver } = options;
  const started = Date.now();
  const lock = await database.sql.reserve();
  try {
    const [held] = await lock`select pg_try_advisory_lock(${ROTATION_LOCK}) as locked`;
    if (!held?.locked) return { flagged: [], reminded: [], skipped: true };
    try {
      const flagged = await flag(options);
      if (dryRun || !deliver) return { flagged: flagged.map((k) => k.id), reminded: [], skipped: false };
      const owed = await remindersOwed(options);
      const reminded = [...new Set(owed.map((o) => o.keyId))];
      await queueAndRecord(options, deliver, owed);
      await database.db.insert(rotationScans).values({
        asOf,
        flagged: flagged.length,
        reminded: reminded.length,
        durationMs: Date.now() - started,
      });
      return { flagged: flagged.map((k) => k.id), reminded, skipped: false };
    } finally {
      await lock`select pg_advisory_unlock(${ROTATION_LOCK})`;
    }
  } finally {
    lock.release();
  }
}

/** Flags the keys due now (a dry run only lists them), oldest first. */
async function flag({ database, asOf, policy, dryRun }: RotationScanOptions) {
  const { db } = database;
  const due = needsRotationFlagSql(apiKeys, asOf, policy.maxAgeDays);
  const fields = { id: apiKeys.id, createdAt: apiKeys.createdAt };
  const rows = dryRun
    ? await db.select(fields).from(apiKeys).where(due)
    : await db
        .update(apiKeys)
        .set({ rotationDueAt: rotationDueAtSql(apiKeys, policy.maxAgeDays) })
        .where(due)
        .returning(fields);
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** The reminders owed at `asOf`, each with the deliveries its routing asks for. */
async function remindersOwed({ database, asOf, policy, channels }: RotationScanOptions): Promise<Owed[]> {
  const at = sql`${asOf.toISOString()}::timestamptz`;
  const k = alias(apiKeys, 'k'); // its columns as the query below names them
  const candidates = await database.db.execute<Candidate>(sql`
    select k.id, k.org_id, k.type, k.owner_email, k.created_at, k.expires_at, k.rotation_due_at,
           k.alerts as key_alerts, o.alerts as org_alerts,
           coalesce((select json_agg(json_build_object('kind', r.kind, 'at', r.due_at,
                       'sequence', r.sequence, 'remindedAt', r.reminded_at))
                     from ${rotationReminders} r where r.key_id = k.id), '[]') as sent
    from ${apiKeys} k join ${orgs} o on o.id = k.org_id
    where ${isLiveSql(k, asOf)}
      and (k.rotation_due_at <= ${at}
           or k.expires_at <= ${at} + ${EXPIRY_REMINDER_DAYS[0]} * interval '24 hours')
    order by coalesce(k.rotation_due_at, k.expires_at), k.id`);

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
    for (const reminder of remindersDue(key, sent, asOf, policy)) {
      const routes: Route[] =
        reminder.kind === 'escalation'
          ? routeEscalation(c.org_alerts, channels)
          : routeAlert({
              settings: effectiveSettings(c.org_alerts, c.key_alerts),
              key: { type: c.type, ownerEmail: c.owner_email },
              ...channels,
            });
      const jobs = routes.map(
        (route): DeliverJob => ({
          kind: 'rotation_reminder',
          keyId: c.id,
          orgId: c.org_id,
          reminder: reminder.kind,
          at: reminder.at.toISOString(),
          sequence: reminder.sequence,
          asOf: asOf.toISOString(),
          ...route,
        }),
      );
      owed.push({ keyId: c.id, reminder, jobs });
    }
  }
  return owed;
}

/**
 * Queues the reminders and then records them in the ledger, chunk by chunk, a few chunks at once
 * so that Redis and Postgres work side by side. A chunk is recorded only once it is queued.
 */
async function queueAndRecord(
  { database, asOf }: RotationScanOptions,
  deliver: Queue<DeliverJob>,
  owed: Owed[],
) {
  const chunks: Owed[][] = [];
  for (let i = 0; i < owed.length; i += CHUNK) chunks.push(owed.slice(i, i + CHUNK));
  const step = async (chunk: Owed[]) => {
    await enqueueDeliveries(
      deliver,
      chunk.flatMap((o) => o.jobs),
    );
    await database.db.execute(sql`
      insert into ${rotationReminders} (key_id, kind, due_at, sequence, reminded_at)
      select key_id, kind, due_at, sequence, ${asOf.toISOString()}::timestamptz
      from unnest(
        ${column(
          chunk.map((o) => o.keyId),
          'uuid',
        )},
        ${column(
          chunk.map((o) => o.reminder.kind),
          'text',
        )},
        ${column(
          chunk.map((o) => o.reminder.at.toISOString()),
          'timestamptz',
        )},
        ${column(
          chunk.map((o) => o.reminder.sequence),
          'int4',
        )}
      ) as t(key_id, kind, due_at, sequence)
      on conflict do nothing`);
  };
  let next = 0;
  let failed = false;
  const worker = async () => {
    try {
      while (!failed && next < chunks.length) await step(chunks[next++]!);
    } catch (err) {
      failed = true; // the others stop too: nothing may run on once the lock is released
      throw err;
    }
  };
  const done = await Promise.allSettled(Array.from({ length: Math.min(IN_FLIGHT, chunks.length) }, worker));
  const error = done.find((d) => d.status === 'rejected');
  if (error) throw error.reason;
}

/** When the last scan ran (by wall clock), if one ever did: a missed one is caught up at start. */
export async function lastScanAt(database: Database): Promise<Date | null> {
  const [row] = await database.db
    .select({ ranAt: sql<string | null>`max(${rotationScans.ranAt})` })
    .from(rotationScans);
  return row?.ranAt ? new Date(row.ranAt) : null;
}
