import type { AlertDecision } from './decision.ts';
import type { AlertSettings, Period } from './settings.ts';
import { type UsageWindow, windowOf } from './window.ts';

export interface WindowCount {
  window: UsageWindow;
  requests: number;
  failures: number;
}

/** highUsage warns at this share of its threshold unless the settings say otherwise (`null`: never). */
export const DEFAULT_WARN_AT = 0.8;
/** A failure rate means little over a handful of requests. */
export const DEFAULT_RATE_MIN_REQUESTS = 20;

/**
 * The windows the threshold rules look at: for each period in use, the current window and the one
 * before it (an evaluation that runs late, after the window closed, still sees a crossing in it),
 * and the window of the key's last use when that is older still.
 */
export function thresholdWindows(settings: AlertSettings, now: Date, lastUsedAt: Date | null): UsageWindow[] {
  const periods = new Set<Period>();
  if (settings.highUsage) periods.add(settings.highUsage.period);
  if (settings.failures) periods.add(settings.failures.period);
  return [...periods].flatMap((period) => {
    const current = windowOf(period, now);
    const previous = windowOf(period, new Date(current.start.getTime() - 1));
    const windows = [previous, current];
    if (lastUsedAt && lastUsedAt < previous.start) windows.unshift(windowOf(period, lastUsedAt));
    return windows;
  });
}

/** highUsage: critical at the threshold, a warning first at `warnAt` of it. */
export function evaluateHighUsage(settings: AlertSettings, counts: WindowCount[]): AlertDecision[] {
  const rule = settings.highUsage;
  if (!rule) return [];
  const warnAt = rule.warnAt === undefined ? DEFAULT_WARN_AT : rule.warnAt;
  const warning = warnAt === null ? null : Math.ceil(rule.threshold * warnAt);
  return counts.flatMap(({ window, requests }): AlertDecision[] => {
    if (window.period !== rule.period) return [];
    const base = { rule: 'highUsage' as const, window, value: requests, details: {} };
    if (requests >= rule.threshold)
      return [{ ...base, subject: 'critical', severity: 'critical', threshold: rule.threshold }];
    if (warning !== null && requests >= warning)
      return [
        {
          ...base,
          subject: 'warning',
          severity: 'warning',
          threshold: warning,
          details: { of: rule.threshold },
        },
      ];
    return [];
  });
}

/** failures: the window's failures reach the threshold; or, optionally, their share of requests does. */
export function evaluateFailures(settings: AlertSettings, counts: WindowCount[]): AlertDecision[] {
  const rule = settings.failures;
  if (!rule) return [];
  return counts.flatMap(({ window, requests, failures }): AlertDecision[] => {
    if (window.period !== rule.period) return [];
    const decisions: AlertDecision[] = [];
    if (failures >= rule.threshold) {
      decisions.push({
        rule: 'failures',
        subject: 'count',
        severity: 'critical',
        window,
        value: failures,
        threshold: rule.threshold,
        details: { requests },
      });
    }
    const minRequests = rule.minRequests ?? DEFAULT_RATE_MIN_REQUESTS;
    if (
      requests >= minRequests &&
      // Stryker disable next-line ConditionalExpression: without a rate the comparison below (with undefined) is false too; this check narrows the type
      rule.rate !== undefined &&
      failures / requests >= rule.rate
    ) {
      // Stored as whole percents: alerts hold integers.
      decisions.push({
        rule: 'failures',
        subject: 'rate',
        severity: 'critical',
        window,
        value: Math.round((failures / requests) * 100),
        threshold: Math.round(rule.rate * 100),
        details: { unit: 'percent', failures, requests },
      });
    }
    return decisions;
  });
}
