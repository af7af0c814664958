import type { UsageWindow } from './window.ts';

export type RuleName = 'highUsage' | 'failures' | 'unusualActivity';
export type Severity = 'warning' | 'critical';

/** What a rule decided: an alert to record once per (key, rule, subject, window). */
export interface AlertDecision {
  rule: RuleName;
  /** What within the rule and window: a severity level, or a signal such as `newCountry:BR`. */
  subject: string;
  severity: Severity;
  window: UsageWindow;
  value: number;
  threshold: number;
  /** What the alert's reader needs beyond value and threshold (for a signal, the signal itself). */
  details: Record<string, unknown>;
}
