import type { AlertDecision } from './decision.ts';
import type { AlertSettings } from './settings.ts';
import { DAY_MS } from './time.ts';
import { type UsageWindow, windowOf } from './window.ts';

/** The thresholds of the unusualActivity signals, in one place. */
export const UNUSUAL = {
  defaultLearningDays: 7,
  /** A spike: the hour reaches this many times the key's hourly p95 of the last 7 days… */
  spikeFactor: 5,
  /** …and at least this many requests (a key idle all week would spike on its second call). */
  spikeFloor: 100,
  historyHours: 7 * 24,
  idleDays: 30,
  manyCountries: 3,
  manyIps: 20,
} as const;

/** What the signals look at for one hour of one key. */
export interface UnusualHour {
  window: UsageWindow;
  requests: number;
  /** Known countries the key was used from in the hour (unknown ones left out). */
  countries: string[];
  distinctIps: number;
  /** Requests per hour over the `historyHours` before this one, oldest first, 0 for a silent hour. */
  history: number[];
  /** The key's last use before this hour, if any. */
  lastUseBefore: Date | null;
}

export interface UnusualInput {
  keyCreatedAt: Date;
  /** Every country the key was ever used from, with when it was first seen. */
  countriesSeen: { country: string; firstSeenAt: Date }[];
  hours: UnusualHour[];
}

/** The learning period, or null when the rule is off. */
export function learningDaysOf(settings: AlertSettings): number | null {
  const rule = settings.unusualActivity;
  if (!rule) return null;
  if (rule === true) return UNUSUAL.defaultLearningDays;
  return rule.enabled ? (rule.learningDays ?? UNUSUAL.defaultLearningDays) : null;
}

/** The 95th percentile (nearest rank) of a list of counts; 0 for none. */
export function p95(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1]!;
}

/**
 * unusualActivity: each signal is its own alert, named in `subject` and explained in `details`.
 * Nothing fires during the learning period after the key's creation, except that with
 * `learningDays: 0` the first country ever seen is the baseline and the next new one is unusual.
 */
export function evaluateUnusual(settings: AlertSettings, input: UnusualInput): AlertDecision[] {
  const learningDays = learningDaysOf(settings);
  if (learningDays === null) return [];
  const learnedAt = input.keyCreatedAt.getTime() + learningDays * DAY_MS;
  const decisions: AlertDecision[] = [];
  const signal = (
    window: UsageWindow,
    subject: string,
    severity: AlertDecision['severity'],
    value: number,
    threshold: number,
    details: Record<string, unknown>,
  ) => decisions.push({ rule: 'unusualActivity', subject, severity, window, value, threshold, details });

  const firstCountry = [...input.countriesSeen].sort(
    (a, b) => a.firstSeenAt.getTime() - b.firstSeenAt.getTime(),
  )[0];
  for (const hour of input.hours) {
    for (const seen of input.countriesSeen) {
      const at = seen.firstSeenAt.getTime();
      if (
        seen === firstCountry ||
        at < learnedAt ||
        at < hour.window.start.getTime() ||
        at >= hour.window.end.getTime()
      )
        continue;
      signal(hour.window, `newCountry:${seen.country}`, 'warning', 1, 1, {
        signal: 'newCountry',
        country: seen.country,
        firstSeenAt: seen.firstSeenAt.toISOString(),
      });
    }
    // Hours that end inside the learning period are still learning.
    if (hour.window.end.getTime() <= learnedAt || hour.requests === 0) continue;

    const usual = p95(hour.history);
    const spikeAt = Math.max(UNUSUAL.spikeFloor, Math.ceil(UNUSUAL.spikeFactor * usual));
    if (hour.requests >= spikeAt) {
      signal(hour.window, 'volumeSpike', 'critical', hour.requests, spikeAt, {
        signal: 'volumeSpike',
        hourlyP95: usual,
        factor: UNUSUAL.spikeFactor,
      });
    }
    if (hour.lastUseBefore) {
      const idleDays = Math.floor((hour.window.start.getTime() - hour.lastUseBefore.getTime()) / DAY_MS);
      if (idleDays >= UNUSUAL.idleDays) {
        signal(hour.window, 'dormantReuse', 'warning', idleDays, UNUSUAL.idleDays, {
          signal: 'dormantReuse',
          lastUseBefore: hour.lastUseBefore.toISOString(),
        });
      }
    }
    if (hour.countries.length >= UNUSUAL.manyCountries) {
      signal(hour.window, 'manyCountries', 'critical', hour.countries.length, UNUSUAL.manyCountries, {
        signal: 'manyCountries',
        countries: [...hour.countries].sort(),
      });
    }
    if (hour.distinctIps >= UNUSUAL.manyIps) {
      signal(hour.window, 'manyIps', 'critical', hour.distinctIps, UNUSUAL.manyIps, { signal: 'manyIps' });
    }
  }
  return decisions;
}

/** The hours the signals look at: the current one and the one before (for a late evaluation). */
export const unusualHours = (now: Date): UsageWindow[] => {
  const current = windowOf('hourly', now);
  return [windowOf('hourly', new Date(current.start.getTime() - 1)), current];
};
