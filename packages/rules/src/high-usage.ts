import type { AlertSettings } from './settings.ts';
import { type UsageWindow, windowOf } from './window.ts';

export interface WindowCount {
  window: UsageWindow;
  requests: number;
}

export interface AlertDecision {
  rule: 'highUsage';
  window: UsageWindow;
  value: number;
  threshold: number;
}

/**
 * The windows highUsage must look at: the one containing now, and the one containing the key's
 * last use when that differs (events counted just after a window closed still belong to it).
 */
export function highUsageWindows(settings: AlertSettings, now: Date, lastUsedAt: Date | null): UsageWindow[] {
  if (!settings.highUsage) return [];
  const current = windowOf(settings.highUsage.period, now);
  if (!lastUsedAt) return [current];
  const last = windowOf(settings.highUsage.period, lastUsedAt);
  return last.start.getTime() === current.start.getTime() ? [current] : [last, current];
}

/** highUsage fires for each window whose request count reached the threshold. */
export function evaluateHighUsage(settings: AlertSettings, counts: WindowCount[]): AlertDecision[] {
  const rule = settings.highUsage;
  if (!rule) return [];
  return counts
    .filter((c) => c.window.period === rule.period && c.requests >= rule.threshold)
    .map((c) => ({ rule: 'highUsage', window: c.window, value: c.requests, threshold: rule.threshold }));
}
