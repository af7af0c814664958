import type { AlertDecision } from './decision.ts';
import { type FiringAlert, notifiesResolution, type ResolutionReason, resolvedAlerts } from './resolution.ts';
import type { AlertSettings } from './settings.ts';
import { evaluateFailures, evaluateHighUsage, thresholdWindows, type WindowCount } from './thresholds.ts';
import { DAY_MS } from './time.ts';
import {
  BASELINE_DAYS,
  evaluateUnusual,
  type UnusualHour,
  unusualHours,
  unusualSettingsOf,
} from './unusual.ts';

/** The countries most of a window's requests came from, for whoever reads a threshold alert. */
export interface TopCountry {
  country: string;
  count: number;
}

/** The threshold windows' counts, each with where its traffic came from. */
export interface ThresholdCount extends WindowCount {
  topCountries: TopCountry[];
}

/** What one key's rules look at: loaded by the alerter from Postgres, by a backtest from memory. */
export interface KeyFacts {
  settings: AlertSettings;
  /** The counts of `factsWanted(…).windows`. */
  counts: ThresholdCount[];
  /** `factsWanted(…).hours`, each with what was seen and its baseline; null while the rule is off. */
  unusual: UnusualHour[] | null;
  keyCreatedAt: Date;
  /** The key's alerts still firing. */
  firing: FiringAlert[];
}

/**
 * Which facts an evaluation at `now` needs: the threshold windows, and when unusualActivity is on,
 * its hours and the history their baselines are learned from (`KeyHistory` from `historyFrom`).
 */
export function factsWanted(settings: AlertSettings, now: Date, lastUsedAt: Date | null) {
  const hours = unusualSettingsOf(settings) === null ? [] : unusualHours(now);
  return {
    windows: thresholdWindows(settings, now, lastUsedAt),
    hours,
    historyFrom: hours.length === 0 ? null : new Date(hours[0]!.start.getTime() - BASELINE_DAYS * DAY_MS),
  };
}

export interface Resolution {
  id: string;
  reason: ResolutionReason;
  /** The rule's settings ask for the resolution to be sent. */
  notify: boolean;
}

/** What an evaluation decided: alerts firing now (recorded once per window) and alerts to resolve. */
export interface KeyDecisions {
  fire: AlertDecision[];
  resolve: Resolution[];
}

/**
 * Every rule of one key at `now`, from facts alone: the live alerter and the backtest both call
 * this, so what one records the other would have.
 */
export function decide(facts: KeyFacts, now: Date): KeyDecisions {
  const { settings, counts } = facts;
  // Window by window, so each decision carries where its own window's traffic came from.
  const thresholds = counts.flatMap((count) =>
    [...evaluateHighUsage(settings, [count]), ...evaluateFailures(settings, [count])].map((decision) => ({
      ...decision,
      details: { ...decision.details, topCountries: count.topCountries },
    })),
  );
  const unusual = facts.unusual
    ? evaluateUnusual(settings, { hours: facts.unusual, keyCreatedAt: facts.keyCreatedAt })
    : [];
  const fire = [...thresholds, ...unusual];
  const resolve = resolvedAlerts(facts.firing, fire, now).map((r) => ({
    ...r,
    notify: notifiesResolution(settings, facts.firing.find((a) => a.id === r.id)!.rule),
  }));
  return { fire, resolve };
}
