import type { UsageWindow } from './window.ts';

export const RULE_NAMES = ['highUsage', 'failures', 'unusualActivity'] as const;
export type RuleName = (typeof RULE_NAMES)[number];
export const SEVERITIES = ['warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** An alert fires until its window ends or its condition clears. */
export const ALERT_STATES = ['firing', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

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
