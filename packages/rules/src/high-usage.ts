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
 * The windows highUsage looks at: the current one and the one before it (an evaluation that runs
 * late, after the window closed, still sees a crossing in it), and the window of the key's last
 * use when that is older still.
 */
export function highUsageWindows(settings: AlertSettings, now: Date, lastUsedAt: Date | null): UsageWindow[] {
  if (!settings.highUsage) return [];
  const current = windowOf(settings.highUsage.period, now);
  const previous = windowOf(settings.highUsage.period, new Date(current.start.getTime() - 1));
  const windows = [previous, current];
  if (lastUsedAt && lastUsedAt < previous.start)
    windows.unshift(windowOf(settings.highUsage.period, lastUsedAt));
  return windows;
}

/** highUsage fires for each window whose request count reached the threshold. */
export function evaluateHighUsage(settings: AlertSettings, counts: WindowCount[]): AlertDecision[] {
  const rule = settings.highUsage;
  if (!rule) return [];
  return counts
    .filter((c) => c.window.period === rule.period && c.requests >= rule.threshold)
    .map((c) => ({ rule: 'highUsage', window: c.window, value: c.requests, threshold: rule.threshold }));
}
