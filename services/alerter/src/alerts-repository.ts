import { alerts, type Db, unnestRows } from '@keywatch/db';
import { type AlertDecision, type Resolution, windowEndSql } from '@keywatch/rules';
import { and, eq, isNotNull, sql } from 'drizzle-orm';

/** The alert's window is over at `now`. */
export const windowEnded = (now: Date) => sql`${windowEndSql(alerts)} <= ${now.toISOString()}::timestamptz`;

/**
 * Records the decision as an alert unless the same (key, rule, subject, window) already is one,
 * and returns the alert's id either way, in one round trip: on a conflict the no-op update hands
 * back the existing row (and waits for a racing insert to commit rather than missing it).
 * `keyId` and `orgId` are null for an alert about no key.
 */
export async function recordAlert(
  db: Db,
  keyId: string | null,
  orgId: string | null,
  decision: AlertDecision,
): Promise<string> {
  const [alert] = await db
    .insert(alerts)
    .values({
      keyId,
      orgId,
      rule: decision.rule,
      subject: decision.subject,
      period: decision.window.period,
      windowStart: decision.window.start,
      severity: decision.severity,
      value: decision.value,
      threshold: decision.threshold,
      details: { ...decision.details, windowEnd: decision.window.end.toISOString() },
    })
    .onConflictDoUpdate({
      target: [alerts.keyId, alerts.rule, alerts.subject, alerts.period, alerts.windowStart],
      set: { id: sql`${alerts.id}` },
    })
    .returning({ id: alerts.id });
  return alert!.id;
}

/**
 * Resolves firing alerts, each with its reason, in one statement; returns those this call
 * resolved (an alert another evaluation resolved first is left to it, so it is told once).
 */
export async function resolveAlerts(
  db: Db,
  resolutions: readonly Pick<Resolution, 'id' | 'reason'>[],
  now: Date,
): Promise<string[]> {
  if (resolutions.length === 0) return [];
  const given = unnestRows('r', {
    id: [alerts.id, resolutions.map((r) => r.id)],
    reason: ['text', resolutions.map((r) => r.reason)],
  });
  const rows = await db
    .update(alerts)
    .set({
      state: 'resolved',
      resolvedAt: now,
      details: sql`${alerts.details} || jsonb_build_object('resolution', ${given.ref.reason})`,
    })
    .from(given.from)
    .where(and(eq(alerts.id, given.ref.id), eq(alerts.state, 'firing')))
    .returning({ id: alerts.id });
  return rows.map((row) => row.id);
}

/**
 * Keys with firing alerts whose window has ended: an evaluation resolves them. Run now and then,
 * because a key that goes quiet is never evaluated by new events.
 */
export async function keysWithEndedWindows(db: Db, now: Date, limit = 500): Promise<string[]> {
  const rows = await db
    .selectDistinct({ keyId: alerts.keyId })
    .from(alerts)
    .where(and(isNotNull(alerts.keyId), eq(alerts.state, 'firing'), windowEnded(now)))
    .limit(limit);
  return rows.map((r) => r.keyId!);
}
