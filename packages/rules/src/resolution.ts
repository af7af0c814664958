import type { AlertDecision } from './decision.ts';
import type { AlertSettings } from './settings.ts';
import type { UsageWindow } from './window.ts';

export interface FiringAlert {
  id: string;
  rule: string;
  subject: string;
  window: UsageWindow;
}

export type ResolutionReason = 'window_ended' | 'condition_cleared';

/**
 * Which firing alerts have resolved, and why: every alert once its window has ended; a failure
 * rate already within its window when the rule, evaluated just now, no longer decides it (counts
 * only grow within a window, so the other conditions cannot clear before it ends).
 */
export function resolvedAlerts(
  firing: readonly FiringAlert[],
  decisions: readonly AlertDecision[],
  now: Date,
): { id: string; reason: ResolutionReason }[] {
  const stillDecided = new Set(
    decisions.map((d) => `${d.rule}|${d.subject}|${d.window.period}|${d.window.start.getTime()}`),
  );
  return firing.flatMap((a): { id: string; reason: ResolutionReason }[] => {
    if (a.window.end <= now) return [{ id: a.id, reason: 'window_ended' }];
    const id = `${a.rule}|${a.subject}|${a.window.period}|${a.window.start.getTime()}`;
    if (a.rule === 'failures' && a.subject === 'rate' && !stillDecided.has(id))
      return [{ id: a.id, reason: 'condition_cleared' }];
    return [];
  });
}

/** Whether the rule asks for its resolution to be sent (`notifyResolved`, threshold rules only). */
export const notifiesResolution = (settings: AlertSettings, rule: string): boolean =>
  (rule === 'highUsage' && settings.highUsage?.notifyResolved === true) ||
  (rule === 'failures' && settings.failures?.notifyResolved === true);
