import { apiKeys, type Db, loadKeyHistory, orgs } from '@keywatch/db';
import { type AlertSettings, BASELINE_DAYS, DAY_MS, HOUR_MS } from '@keywatch/rules';
import { and, eq, lt } from 'drizzle-orm';
import { Backtest, type BacktestAlert } from './backtest.ts';

export interface PreviewRequest {
  orgId: string;
  from: Date;
  to: Date;
  /** Proposed settings for the org (its keys' own settings still override them); else its current ones. */
  settings?: AlertSettings;
  /** Only this key (of the org). */
  keyId?: string;
}

/**
 * What the org's settings (or proposed ones) would have fired over its stored usage in [from, to):
 * the backtest over the aggregates instead of events. Each hour is decided once, when it ends,
 * from the hours up to it; the weeks before `from` build the baselines. Nothing is written or sent.
 * Credential stuffing names no org, so it is not previewed.
 */
export async function previewAlerts(db: Db, request: PreviewRequest): Promise<BacktestAlert[]> {
  const [org] = await db.select({ alerts: orgs.alerts }).from(orgs).where(eq(orgs.id, request.orgId));
  if (!org) return [];
  const keys = await db
    .select({ id: apiKeys.id, orgId: apiKeys.orgId, createdAt: apiKeys.createdAt, alerts: apiKeys.alerts })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.orgId, request.orgId),
        lt(apiKeys.createdAt, request.to),
        request.keyId ? eq(apiKeys.id, request.keyId) : undefined,
      ),
    );
  const backtest = new Backtest({
    keys,
    orgSettings: new Map([[request.orgId, request.settings ?? org.alerts ?? {}]]),
    from: request.from,
  });
  const historyFrom = new Date(request.from.getTime() - BASELINE_DAYS * DAY_MS);
  const stored = await loadKeyHistory(
    db,
    keys.map((k) => k.id),
    historyFrom,
    request.to,
  );
  const hoursUsed = new Map<number, string[]>();
  for (const hour of stored.hours) {
    const usage = backtest.usage.key(hour.keyId);
    const tally = usage.hour(hour.start);
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

  const fired: BacktestAlert[] = [];
  for (const start of [...hoursUsed.keys()].sort((a, b) => a - b)) {
    const now = new Date(start + HOUR_MS - 1);
    for (const keyId of hoursUsed.get(start)!) fired.push(...backtest.evaluateKey(keyId, now));
  }
  return fired;
}
