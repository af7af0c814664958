/** Alerts and silences: filters, wording, and the end of a silence. */

import {
  ALERT_STATES,
  type AlertState,
  DAY_MS,
  HOUR_MS,
  RULE_NAMES,
  type RuleName,
  SEVERITIES,
  type Severity,
} from '@keywatch/rules';

export const RULE_LABELS: Record<RuleName, string> = {
  highUsage: 'High usage',
  failures: 'Failures',
  unusualActivity: 'Unusual activity',
};

export const isRule = (v: string | null | undefined): v is RuleName =>
  !!v && (RULE_NAMES as readonly string[]).includes(v);
export const isSeverity = (v: string | null | undefined): v is Severity =>
  !!v && (SEVERITIES as readonly string[]).includes(v);
export const isState = (v: string | null | undefined): v is AlertState =>
  !!v && (ALERT_STATES as readonly string[]).includes(v);

export const SILENCE_PRESETS = ['1h', '24h', '7d', 'custom'] as const;
export type SilencePreset = (typeof SILENCE_PRESETS)[number];
const PRESET_MS: Record<Exclude<SilencePreset, 'custom'>, number> = {
  '1h': HOUR_MS,
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
};

/** When a silence ends: a preset from now, or the custom time; null when the custom one is missing. */
export function silenceUntil(preset: SilencePreset, now: Date, custom: Date | null): Date | null {
  if (preset === 'custom') return custom;
  return new Date(now.getTime() + PRESET_MS[preset]);
}

/** Grace periods offered when rotating (the API takes `^\d{1,6}[smhd]$`, at most 30 days). */
export const GRACE_PERIODS = [
  { value: '0s', label: 'None: the old key stops at once' },
  { value: '1h', label: '1 hour' },
  { value: '24h', label: '24 hours (default)' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
] as const;

export const isGracePeriod = (v: string) => /^\d{1,6}[smhd]$/.test(v);
