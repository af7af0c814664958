import type { AlertDecision } from './decision.ts';
import { type FiringAlert, notifiesResolution, type ResolutionReason, resolvedAlerts } from './resolution.ts';
import type { AlertSettings } from './settings.ts';
import { evaluateFailures, evaluateHighUsage, thresholdWindows, type WindowCount } from './thresholds.ts';
import { evaluateUnusual, learningDaysOf, type UnusualInput, unusualHours } from './unusual.ts';

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
  /** The unusualActivity signals' input for `factsWanted(…).hours`; null while the rule is off. */
  unusual: Omit<UnusualInput, 'keyCreatedAt'> | null;
  keyCreatedAt: Date;
  /** The key's alerts still firing. */
  firing: FiringAlert[];
}

/** Which facts an evaluation at `now` needs: the threshold windows, and the hours when unusualActivity is on. */
export function factsWanted(settings: AlertSettings, now: Date, lastUsedAt: Date | null) {
  return {
    windows: thresholdWindows(settings, now, lastUsedAt),
    hours: learningDaysOf(settings) === null ? [] : unusualHours(now),
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
    ? evaluateUnusual(settings, { ...facts.unusual, keyCreatedAt: facts.keyCreatedAt })
    : [];
  const fire = [...thresholds, ...unusual];
  const resolve = resolvedAlerts(facts.firing, fire, now).map((r) => ({
    ...r,
    notify: notifiesResolution(settings, facts.firing.find((a) => a.id === r.id)!.rule),
  }));
  return { fire, resolve };
}
