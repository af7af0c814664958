import { describe, expect, it } from 'vitest';
import {
  type AlertSettings,
  BASELINE_DAYS,
  DAY_MS,
  decide,
  factsWanted,
  HOUR_MS,
  type KeyFacts,
  type ThresholdCount,
  UNUSUAL,
  type UnusualHour,
  windowOf,
} from '../src/index.ts';

const now = new Date('2026-11-22T10:30:00Z');
const thisHour = windowOf('hourly', now);
const lastHour = windowOf('hourly', new Date(thisHour.start.getTime() - 1));
const longCreated = new Date(now.getTime() - 60 * DAY_MS);

const count = (window = thisHour, requests = 0, failures = 0, topCountries = []): ThresholdCount => ({
  window,
  requests,
  failures,
  topCountries,
});
const fanOutHour = (window = thisHour): UnusualHour => ({
  window,
  seen: { requests: 1, countries: [], distinctIps: UNUSUAL.ipFanOut.medium.floor },
  baseline: { usualRequests: 1, usualIps: 1, countries: [], newCountriesLately: 0, lastUsedBefore: null },
});
const facts = (settings: AlertSettings, over: Partial<KeyFacts> = {}): KeyFacts => ({
  settings,
  counts: [],
  unusual: null,
  keyCreatedAt: longCreated,
  firing: [],
  ...over,
});

describe('factsWanted', () => {
  it('asks for the threshold windows of each period in use, and the hours only while unusualActivity is on', () => {
    const hourly = { highUsage: { threshold: 10, period: 'hourly' } } as const;
    expect(factsWanted(hourly, now, null)).toEqual({
      windows: [lastHour, thisHour],
      hours: [],
      historyFrom: null,
    });
    expect(factsWanted({ unusualActivity: true }, now, null)).toEqual({
      windows: [],
      hours: [lastHour, thisHour],
      historyFrom: new Date(lastHour.start.getTime() - BASELINE_DAYS * DAY_MS),
    });
    expect(factsWanted({ unusualActivity: { enabled: false } }, now, null).hours).toEqual([]);
  });

  it('asks for history as far back before the hours as any signal remembers', () => {
    const { hours, historyFrom } = factsWanted({ unusualActivity: true }, now, null);
    const reach = hours[0]!.start.getTime() - historyFrom!.getTime();
    for (const days of [UNUSUAL.countryDays, UNUSUAL.volumeWeeks * 7, UNUSUAL.ipDays])
      expect(reach).toBeGreaterThanOrEqual(days * DAY_MS);
  });
});

describe('decide', () => {
  it('fires a crossed threshold with where its window’s traffic came from', () => {
    const top = [{ country: 'DE', count: 9 }];
    const { fire } = decide(
      facts(
        { highUsage: { threshold: 10, period: 'hourly', warnAt: null } },
        {
          counts: [count(lastHour, 3, 0, []), { ...count(thisHour, 12), topCountries: top }],
        },
      ),
      now,
    );
    expect(fire).toEqual([
      {
        rule: 'highUsage',
        subject: 'critical',
        severity: 'critical',
        window: thisHour,
        value: 12,
        threshold: 10,
        details: { topCountries: top },
      },
    ]);
  });

  it('gives each decision its own window’s countries, a day and its first hour alike', () => {
    const midnight = new Date('2026-11-22T00:20:00Z');
    const hour = windowOf('hourly', midnight);
    const day = windowOf('daily', midnight);
    const settings: AlertSettings = {
      highUsage: { threshold: 10, period: 'hourly', warnAt: null },
      failures: { threshold: 5, period: 'daily' },
    };
    const { fire } = decide(
      facts(settings, {
        counts: [
          { ...count(hour, 10), topCountries: [{ country: 'BR', count: 10 }] },
          { ...count(day, 10, 5), topCountries: [{ country: 'FR', count: 10 }] },
        ],
      }),
      midnight,
    );
    expect(fire.map((d) => [d.rule, d.window.period, d.details.topCountries])).toEqual([
      ['highUsage', 'hourly', [{ country: 'BR', count: 10 }]],
      ['failures', 'daily', [{ country: 'FR', count: 10 }]],
    ]);
  });

  it('fires nothing below every threshold, and resolves nothing still in its window', () => {
    const firing = [{ id: 'a', rule: 'highUsage', subject: 'critical', window: thisHour }];
    const decided = decide(
      facts({ highUsage: { threshold: 10, period: 'hourly' } }, { counts: [count(thisHour, 2)], firing }),
      now,
    );
    expect(decided).toEqual({ fire: [], resolve: [] });
  });

  it('runs the unusualActivity signals only when their facts were loaded', () => {
    const on = decide(facts({ unusualActivity: true }, { unusual: [fanOutHour()] }), now);
    expect(on.fire.map((d) => [d.rule, d.subject])).toEqual([['unusualActivity', 'ipFanOut']]);
    expect(decide(facts({ unusualActivity: true }), now).fire).toEqual([]);
  });

  it('keeps a young key quiet through its learning period', () => {
    const young = facts(
      { unusualActivity: true },
      { keyCreatedAt: new Date(now.getTime() - HOUR_MS), unusual: [fanOutHour()] },
    );
    expect(decide(young, now).fire).toEqual([]);
  });

  it('resolves ended windows and a cleared failure rate, asking for a message only where notifyResolved is set', () => {
    const settings: AlertSettings = {
      highUsage: { threshold: 10, period: 'hourly', notifyResolved: true },
      failures: { threshold: 100, rate: 0.5, period: 'hourly' },
    };
    const firing = [
      { id: 'usage', rule: 'highUsage', subject: 'critical', window: lastHour },
      { id: 'rate', rule: 'failures', subject: 'rate', window: thisHour },
      { id: 'count', rule: 'failures', subject: 'count', window: thisHour },
    ];
    const { resolve } = decide(facts(settings, { counts: [count(thisHour, 40, 4)], firing }), now);
    expect(resolve).toEqual([
      { id: 'usage', reason: 'window_ended', notify: true },
      { id: 'rate', reason: 'condition_cleared', notify: false },
    ]);
  });
});
