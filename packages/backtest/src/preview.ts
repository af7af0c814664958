import { apiKeys, type Db, loadKeyHistory, orgs } from '@keywatch/db';
import { type AlertSettings, BASELINE_DAYS, DAY_MS, HOUR_MS } from '@keywatch/rules';
import { and, eq, lt } from 'drizzle-orm';
import { Backtest, type BacktestAlert } from './backtest.ts';

/**
 * The key-hours one preview may decide (each learns a baseline): it runs on a server's thread, so
 * its work is bounded, like a usage report's buckets. About 50 µs each: some seconds at most.
 */
export const PREVIEW_MAX_KEY_HOURS = 100_000;
/** Decisions between two turns of the event loop, so a server goes on answering meanwhile. */
const DECISIONS_PER_TURN = 200;

/** The range holds more used key-hours than one preview may decide: the caller narrows it. */
export class PreviewTooLargeError extends Error {
  override name = 'PreviewTooLargeError';
  constructor(
    readonly keyHours: number,
    readonly max: number,
  ) {
    super(`the range holds ${keyHours} hours of key use, more than the ${max} one preview decides`);
  }
}

export interface PreviewRequest {
  orgId: string;
  from: Date;
  to: Date;
  /** Proposed settings for the org (its keys' own settings still override them); else its current ones. */
  settings?: AlertSettings;
  /** Only this key (of the org). */
  keyId?: string;
  /** The bound on key-hours decided (default `PREVIEW_MAX_KEY_HOURS`). */
  maxKeyHours?: number;
}

/**
 * What the org's settings (or proposed ones) would have fired over its stored usage in [from, to):
 * the backtest over the aggregates instead of events. Each hour is decided once, when it ends,
 * from the hours up to it; the weeks before `from` build the baselines. Nothing is written or sent.
 * Throws `PreviewTooLargeError` past `PREVIEW_MAX_KEY_HOURS`.
 * Credential stuffing names no org, so it is not previewed.
 */
export async function previewAlerts(db: Db, request: PreviewRequest): Promise<BacktestAlert[]> {
  const [org] = await db.select({ alerts: orgs.alerts }).from(orgs).where(eq(orgs.id, request.orgId));
  if (!org) return [];
  const keys = await db
    .select({
      id: apiKeys.id,
      orgId: apiKeys.orgId,
      createdAt: apiKeys.createdAt,
      alerts: apiKeys.alerts,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.orgId, request.orgId),
        lt(apiKeys.createdAt, request.to),
        request.keyId ? eq(apiKeys.id, request.keyId) : undefined,
      ),
    );
  const historyFrom = new Date(request.from.getTime() - BASELINE_DAYS * DAY_MS);
  const backtest = new Backtest({
    keys,
    orgSettings: new Map([[request.orgId, request.settings ?? org.alerts ?? {}]]),
    from: request.from,
    // Every hour loaded stays held: the range and the weeks before it.
    spanHours: Math.ceil((request.to.getTime() - historyFrom.getTime()) / HOUR_MS) + 24,
  });
  const stored = await loadKeyHistory(
    db,
    keys.map((k) => k.id),
    historyFrom,
    request.to,
  );
  const hoursUsed = new Map<number, string[]>();
  for (const hour of stored.hours) {
    const usage = backtest.usage.key(hour.keyId);
    const tally = usage.tally(hour.start)!; // hours come oldest first, and the ring holds them all
    tally.requests = hour.requests;
    tally.failures = hour.failures;
    tally.setDistinctIps(hour.distinctIps);
    for (const [country, count] of hour.countries) tally.addCountry(country, count);
    usage.lastUsedAt = Math.max(usage.lastUsedAt ?? 0, hour.start);
    if (hour.start >= request.from.getTime()) {
      const used = hoursUsed.get(hour.start) ?? [];
      used.push(hour.keyId);
      hoursUsed.set(hour.start, used);
    }
  }
  for (const [keyId, until] of stored.usedUntilBefore) backtest.usage.key(keyId).usedUntilBefore = until;

  let keyHours = 0;
  for (const used of hoursUsed.values()) keyHours += used.length;
  const max = request.maxKeyHours ?? PREVIEW_MAX_KEY_HOURS;
  if (keyHours > max) throw new PreviewTooLargeError(keyHours, max);

  const fired: BacktestAlert[] = [];
  let decided = 0;
  for (const start of [...hoursUsed.keys()].sort((a, b) => a - b)) {
    const now = new Date(start + HOUR_MS - 1);
    for (const keyId of hoursUsed.get(start)!) {
      fired.push(...backtest.evaluateKey(keyId, now));
      if (++decided % DECISIONS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return fired;
}
