import type { AlertDecision } from './decision.ts';
import type { AlertSettings, Sensitivity } from './settings.ts';
import { DAY_MS, HOUR_MS } from './time.ts';
import { type UsageWindow, windowOf } from './window.ts';

/**
 * The baselines' constants, in one place. Each signal compares an hour with what the key itself
 * did before it; behaviour older than the signal's memory is forgotten.
 */
export const UNUSUAL = {
  defaultLearningDays: 7,
  defaultSensitivity: 'medium' as Sensitivity,
  /** Requests: the same hour of the day over the last week, and of the week over the last three… */
  volumeDays: 7,
  volumeWeeks: 3,
  /** …and at least this share of the key's average busy hour over the four weeks. */
  busyHourShare: 0.5,
  /** Distinct IPs: the same hour of the day over the last week, and every hour of it. */
  ipDays: 7,
  /** Countries: the ones used in the last four weeks. */
  countryDays: 28,
  /** A country first used a day after the key's first use in those weeks was new then: a habit. */
  countryWarmUpDays: 1,
  dormantDays: 30,
  /** By sensitivity: an hour fires at `factor` × the usual level, and never below `floor`. */
  volume: {
    low: { factor: 6, floor: 80 },
    medium: { factor: 3.5, floor: 40 },
    high: { factor: 2.5, floor: 20 },
  },
  ipFanOut: {
    low: { factor: 3, floor: 50 },
    medium: { factor: 2, floor: 30 },
    high: { factor: 1.5, floor: 20 },
  },
  /**
   * A new country is not news for a key that picked up at least `newLately` other new countries in
   * its four weeks (browser-facing keys), or that was used from at least `diverse` of them.
   */
  newCountry: {
    low: { newLately: 1, diverse: 6 },
    medium: { newLately: 2, diverse: 10 },
    high: { newLately: 4, diverse: 20 },
  },
} as const;

/** The history every baseline is learned from: the longest memory of any signal. */
export const BASELINE_DAYS = Math.max(UNUSUAL.countryDays, UNUSUAL.volumeWeeks * 7, UNUSUAL.ipDays);

/** One hour of a key's use, as the aggregates hold it. */
export interface HourUsage {
  requests: number;
  distinctIps: number;
  /** Known countries (unknown ones left out), in the order the key was first used from them. */
  countries: readonly string[];
}

/**
 * A key's recorded use, read from Postgres by the alerter or kept in memory by the backtest: every
 * hour with requests from `heldFrom` on (at least `BASELINE_DAYS` before the first hour evaluated),
 * and what came before.
 */
export interface KeyHistory {
  /** The key's use in the hour starting at `start` (ms); undefined for an hour without requests. */
  hour(start: number): HourUsage | undefined;
  /** The first hour held; older ones are summed up in `usedUntilBefore`. */
  heldFrom: number;
  /** The end of the last hour with requests before `heldFrom`, if any. */
  usedUntilBefore: number | null;
}

/** A history held in a map of hour starts (ms) to their use. */
export const keyHistoryOf = (
  hours: ReadonlyMap<number, HourUsage>,
  heldFrom: number,
  usedUntilBefore: number | null,
): KeyHistory => ({ hour: (start) => hours.get(start), heldFrom, usedUntilBefore });

/** What was normal for a key before one hour: each signal's reference, learned from its history. */
export interface Baseline {
  /**
   * The usual requests in this hour: the second most of the same hour of the day (a week) and of the
   * week (three), and at least half the key's average busy hour over four weeks.
   */
  usualRequests: number;
  /** The usual distinct IPs in this hour: the most of the same hour of the day, or the week's p95. */
  usualIps: number;
  /** Countries used in the last `countryDays`, sorted. */
  countries: string[];
  /** Of those, how many were first used after the first `countryWarmUpDays` of the key's use in them. */
  newCountriesLately: number;
  /** When the key was last used before this hour (the end of that hour), if ever. */
  lastUsedBefore: Date | null;
}

/** An hour the signals look at: what was seen, against what was normal. */
export interface UnusualHour {
  window: UsageWindow;
  seen: HourUsage;
  baseline: Baseline;
}

/** The unusualActivity settings in full, or null when the rule is off. */
export function unusualSettingsOf(
  settings: AlertSettings,
): { learningDays: number; sensitivity: Sensitivity } | null {
  const rule = settings.unusualActivity;
  if (!rule || (rule !== true && !rule.enabled)) return null;
  const chosen: { learningDays?: number; sensitivity?: Sensitivity } = rule === true ? {} : rule;
  return {
    learningDays: chosen.learningDays ?? UNUSUAL.defaultLearningDays,
    sensitivity: chosen.sensitivity ?? UNUSUAL.defaultSensitivity,
  };
}

/** The 95th percentile (nearest rank) of a list of counts; 0 for none. */
export function p95(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.ceil(0.95 * sorted.length) - 1]!;
}

/** An hour without requests. */
export const UNUSED_HOUR: HourUsage = { requests: 0, distinctIps: 0, countries: [] };

const sameCountries = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((country, i) => country === b[i]);

/** Learns what was normal for the key before the hour starting at `hourStart`, from history alone. */
export function learnBaseline(history: KeyHistory, hourStart: number): Baseline {
  // One pass over the remembered hours, newest first, in plain loops: a preview learns a baseline
  // per key and hour of a month, a backtest per key and hour of its input.
  const weekHours = UNUSUAL.volumeDays * 24;
  const weekIps = new Float64Array(weekHours);
  let usualIps = 0;
  // The same hour of the day (a week) and of the week (three): the second most of them, so one odd
  // hour (a burst, an incident) does not raise the bar for the next.
  let most = 0;
  let secondMost = 0;
  let busyHours = 0;
  let busyRequests = 0;
  let lastUsed: number | null = null;
  // Countries: when each was first used in these weeks. Those first used after the warm-up (from
  // the key's first use in them) were new then.
  const firstUse = new Map<string, number>();
  let firstHeld = Number.POSITIVE_INFINITY;
  // Most hours repeat the countries of the hour after: a run of them is looked up once, at its end.
  let run: readonly string[] = [];
  let runFrom = 0;
  const endRun = () => {
    for (const country of run) firstUse.set(country, runFrom);
  };
  const hours = UNUSUAL.countryDays * 24;
  for (let back = 1; back <= hours; back++) {
    const start = hourStart - back * HOUR_MS;
    const hour = history.hour(start);
    if (!hour || hour.requests === 0) continue;
    lastUsed ??= start + HOUR_MS;
    busyHours++;
    busyRequests += hour.requests;
    if (back <= weekHours) weekIps[back - 1] = hour.distinctIps;
    if (back % 24 === 0) {
      const days = back / 24;
      if (days <= UNUSUAL.ipDays && hour.distinctIps > usualIps) usualIps = hour.distinctIps;
      if (days <= UNUSUAL.volumeDays || (days % 7 === 0 && days / 7 <= UNUSUAL.volumeWeeks)) {
        if (hour.requests > most) {
          secondMost = most;
          most = hour.requests;
        } else if (hour.requests > secondMost) secondMost = hour.requests;
      }
    }
    if (hour.countries.length === 0) continue;
    firstHeld = start;
    if (!sameCountries(hour.countries, run)) {
      endRun();
      run = hour.countries;
    }
    runFrom = start;
  }
  endRun();
  usualIps = Math.max(usualIps, p95(weekIps));
  const warmUntil = firstHeld + UNUSUAL.countryWarmUpDays * DAY_MS;
  let newCountriesLately = 0;
  for (const first of firstUse.values()) if (first >= warmUntil) newCountriesLately++;
  // Unused in these weeks: the last use is older (a key coming back from dormancy).
  const from = hourStart - hours * HOUR_MS;
  for (let start = from - HOUR_MS; lastUsed === null && start >= history.heldFrom; start -= HOUR_MS)
    if ((history.hour(start)?.requests ?? 0) > 0) lastUsed = start + HOUR_MS;
  lastUsed ??= history.usedUntilBefore;
  // A key back from a quiet week is not unusual at its usual level.
  const busyHour = busyHours === 0 ? 0 : busyRequests / busyHours;
  return {
    usualRequests: Math.max(secondMost, UNUSUAL.busyHourShare * busyHour),
    usualIps,
    countries: [...firstUse.keys()].sort(),
    newCountriesLately,
    lastUsedBefore: lastUsed === null ? null : new Date(lastUsed),
  };
}

/** The hours the signals look at: the current one and the one before (for a late evaluation). */
export const unusualHours = (now: Date): UsageWindow[] => {
  const current = windowOf('hourly', now);
  return [windowOf('hourly', new Date(current.start.getTime() - 1)), current];
};

/**
 * Each hour the signals look at, with what was seen in it and its baseline, learned only when a
 * signal asks (an hour still learning, or without requests, never does). `baselineOf` lets a caller
 * keep the baselines it learned: they depend only on earlier hours.
 */
export const unusualHoursOf = (
  history: KeyHistory,
  hours: readonly UsageWindow[],
  baselineOf: (start: number) => Baseline = (start) => learnBaseline(history, start),
): UnusualHour[] =>
  hours.map((window) => {
    const start = window.start.getTime();
    return {
      window,
      seen: history.hour(start) ?? UNUSED_HOUR,
      get baseline() {
        return baselineOf(start);
      },
    };
  });

/**
 * unusualActivity: each signal is its own alert, named in `subject`, with what is normal for the key
 * and what was seen in `details`. Nothing fires before the key's learning period has passed, except
 * that with `learningDays: 0` the first country seen is the baseline and the next new one is unusual.
 */
export function evaluateUnusual(
  settings: AlertSettings,
  input: { keyCreatedAt: Date; hours: readonly UnusualHour[] },
): AlertDecision[] {
  const rule = unusualSettingsOf(settings);
  if (rule === null) return [];
  const learnedAt = input.keyCreatedAt.getTime() + rule.learningDays * DAY_MS;
  const decisions: AlertDecision[] = [];
  const signal = (
    window: UsageWindow,
    subject: string,
    severity: AlertDecision['severity'],
    value: number,
    threshold: number,
    details: { signal: string; usual: Record<string, unknown>; seen: Record<string, unknown> },
  ) => decisions.push({ rule: 'unusualActivity', subject, severity, window, value, threshold, details });

  for (const hour of input.hours) {
    const { window, seen } = hour;
    // Hours that end inside the learning period are still learning (and need no baseline).
    if (window.end.getTime() <= learnedAt || seen.requests === 0) continue;
    const { baseline } = hour;
    const { sensitivity } = rule;

    const suppressNew = UNUSUAL.newCountry[sensitivity];
    // With no country in memory, the first one the hour saw is where the key started (the contract's
    // `learningDays: 0`: the first country seen is the baseline); the next one is new.
    const used = new Set(baseline.countries.length > 0 ? baseline.countries : seen.countries.slice(0, 1));
    const habituallyNew =
      baseline.newCountriesLately >= suppressNew.newLately ||
      baseline.countries.length >= suppressNew.diverse;
    if (!habituallyNew) {
      for (const country of [...seen.countries].sort()) {
        if (used.has(country)) continue;
        signal(window, `newCountry:${country}`, 'warning', 1, 1, {
          signal: 'newCountry',
          usual: { countries: [...used].sort(), newCountriesLately: baseline.newCountriesLately },
          seen: { country, requests: seen.requests },
        });
      }
    }

    const volume = UNUSUAL.volume[sensitivity];
    const spikeAt = Math.max(volume.floor, Math.ceil(volume.factor * baseline.usualRequests));
    if (seen.requests >= spikeAt) {
      signal(window, 'volumeSpike', 'critical', seen.requests, spikeAt, {
        signal: 'volumeSpike',
        usual: { requests: Math.round(baseline.usualRequests * 10) / 10, factor: volume.factor },
        seen: { requests: seen.requests },
      });
    }

    const fanOut = UNUSUAL.ipFanOut[sensitivity];
    const fanOutAt = Math.max(fanOut.floor, Math.ceil(fanOut.factor * baseline.usualIps));
    if (seen.distinctIps >= fanOutAt) {
      signal(window, 'ipFanOut', 'critical', seen.distinctIps, fanOutAt, {
        signal: 'ipFanOut',
        usual: { distinctIps: baseline.usualIps, factor: fanOut.factor },
        seen: { distinctIps: seen.distinctIps },
      });
    }

    if (baseline.lastUsedBefore) {
      const idleDays = Math.floor((window.start.getTime() - baseline.lastUsedBefore.getTime()) / DAY_MS);
      if (idleDays >= UNUSUAL.dormantDays) {
        signal(window, 'dormantReuse', 'warning', idleDays, UNUSUAL.dormantDays, {
          signal: 'dormantReuse',
          usual: { lastUsedBefore: baseline.lastUsedBefore.toISOString() },
          seen: { requests: seen.requests, idleDays },
        });
      }
    }
  }
  return decisions;
}
