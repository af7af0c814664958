import { describe, expect, it } from 'vitest';
import {
  type AlertSettings,
  alertSettingsSchema,
  effectiveSettings,
  evaluateFailures,
  evaluateHighUsage,
  thresholdWindows,
  windowOf,
} from '../src/index.ts';

const now = new Date('2026-11-22T10:30:00Z');
const daily: AlertSettings = { highUsage: { threshold: 20, period: 'daily' } };
const hourly: AlertSettings = { highUsage: { threshold: 100, period: 'hourly' } };
const noWarning: AlertSettings = { highUsage: { threshold: 100, period: 'hourly', warnAt: null } };
const warnAtHalf: AlertSettings = { highUsage: { threshold: 100, period: 'hourly', warnAt: 0.5 } };
const count = (settings: AlertSettings, requests: number, failures = 0) => [
  {
    window: windowOf(settings.highUsage?.period ?? settings.failures?.period ?? 'daily', now),
    requests,
    failures,
  },
];

describe('evaluateHighUsage', () => {
  it.each([
    ['daily, below the warning', daily, 15, []],
    ['daily, at 80 %: a warning', daily, 16, [['warning', 16]]],
    ['daily, at the threshold: critical only', daily, 20, [['critical', 20]]],
    ['daily, above', daily, 30, [['critical', 20]]],
    ['hourly, 79 %', hourly, 79, []],
    ['hourly, 80 %', hourly, 80, [['warning', 80]]],
    ['hourly, 99 %', hourly, 99, [['warning', 80]]],
    ['hourly, at', hourly, 100, [['critical', 100]]],
    ['warning off (warnAt: null)', noWarning, 99, []],
    ['warning off, at', noWarning, 100, [['critical', 100]]],
    ['warnAt 0.5, at 50', warnAtHalf, 50, [['warning', 50]]],
    ['warnAt 0.5, at 49', warnAtHalf, 49, []],
    ['no highUsage setting', {}, 1_000_000, []],
  ] as const)('%s', (_name, settings, requests, expected) => {
    const decisions = evaluateHighUsage(settings, count(settings, requests));
    expect(decisions.map((d) => [d.severity, d.threshold])).toEqual(expected);
    for (const d of decisions)
      expect(d).toMatchObject({ rule: 'highUsage', subject: d.severity, value: requests });
  });

  it('rounds the warning level up: 80 % of 21 is 17', () => {
    const settings: AlertSettings = { highUsage: { threshold: 21, period: 'daily' } };
    expect(evaluateHighUsage(settings, count(settings, 16))).toEqual([]);
    expect(evaluateHighUsage(settings, count(settings, 17))[0]).toMatchObject({
      severity: 'warning',
      threshold: 17,
    });
  });

  it('ignores counts from windows of another period', () => {
    expect(
      evaluateHighUsage(daily, [{ window: windowOf('hourly', now), requests: 500, failures: 0 }]),
    ).toEqual([]);
  });

  it('says what a warning is short of', () => {
    const [d] = evaluateHighUsage(hourly, count(hourly, 85));
    expect(d).toMatchObject({ severity: 'warning', value: 85, threshold: 80, details: { of: 100 } });
  });

  it('decides per window', () => {
    const yesterday = windowOf('daily', new Date('2026-11-21T23:59:59Z'));
    const decisions = evaluateHighUsage(daily, [
      { window: yesterday, requests: 25, failures: 0 },
      { window: windowOf('daily', now), requests: 3, failures: 0 },
    ]);
    expect(decisions.map((d) => d.window.start.toISOString())).toEqual(['2026-11-21T00:00:00.000Z']);
  });
});

describe('evaluateFailures', () => {
  const byCount: AlertSettings = { failures: { threshold: 10, period: 'hourly' } };
  const byRate: AlertSettings = { failures: { threshold: 1000, period: 'hourly', rate: 0.5 } };
  const byRateMin5: AlertSettings = {
    failures: { threshold: 1000, period: 'hourly', rate: 0.5, minRequests: 5 },
  };
  it.each([
    ['count below', byCount, 100, 9, []],
    ['count at', byCount, 100, 10, [['count', 10, 10]]],
    ['count above, any rate', byCount, 10_000, 50, [['count', 50, 10]]],
    ['rate at 50 % over 20 requests', byRate, 20, 10, [['rate', 50, 50]]],
    ['rate 49 %', byRate, 100, 49, []],
    ['rate 100 % but under 20 requests', byRate, 19, 19, []],
    ['rate 100 % over 5, minRequests 5', byRateMin5, 5, 5, [['rate', 100, 50]]],
    ['rate 60 % over 4, minRequests 5', byRateMin5, 4, 3, []],
    [
      'both',
      { failures: { threshold: 10, period: 'hourly', rate: 0.25 } },
      40,
      10,
      [
        ['count', 10, 10],
        ['rate', 25, 25],
      ],
    ],
    ['no failures setting', {}, 100, 100, []],
  ] as const)('%s', (_name, settings, requests, failures, expected) => {
    const decisions = evaluateFailures(settings, count(settings, requests, failures));
    expect(decisions.map((d) => [d.subject, d.value, d.threshold])).toEqual(expected);
    for (const d of decisions) expect(d).toMatchObject({ rule: 'failures', severity: 'critical' });
  });

  it('ignores counts from windows of another period', () => {
    const both: AlertSettings = { failures: { threshold: 10, period: 'daily', rate: 0.1, minRequests: 1 } };
    expect(
      evaluateFailures(both, [{ window: windowOf('hourly', now), requests: 500, failures: 500 }]),
    ).toEqual([]);
  });

  it('says over how many requests the failures were counted', () => {
    const [d] = evaluateFailures(byCount, count(byCount, 40, 12));
    expect(d!.details).toEqual({ requests: 40 });
  });

  it('says the rate is in percent and over how many requests', () => {
    const [d] = evaluateFailures(byRate, count(byRate, 40, 30));
    expect(d!.details).toEqual({ unit: 'percent', failures: 30, requests: 40 });
  });
});

describe('thresholdWindows', () => {
  const previousHour = windowOf('hourly', new Date('2026-11-22T09:30:00Z'));
  const yesterday = windowOf('daily', new Date('2026-11-21T12:00:00Z'));

  it('is nothing without a threshold rule', () => {
    expect(thresholdWindows({ unusualActivity: true }, now, now)).toEqual([]);
  });
  it('is the previous and the current window', () => {
    expect(thresholdWindows(daily, now, new Date('2026-11-22T00:00:01Z'))).toEqual([
      yesterday,
      windowOf('daily', now),
    ]);
    expect(thresholdWindows(hourly, now, null)).toEqual([previousHour, windowOf('hourly', now)]);
  });
  it('adds no window for a last use at the very start of the previous one', () => {
    expect(thresholdWindows(hourly, now, previousHour.start)).toEqual([
      previousHour,
      windowOf('hourly', now),
    ]);
  });
  it('adds the window of an older last use', () => {
    const last = new Date('2026-11-22T07:15:00Z');
    expect(thresholdWindows(hourly, now, last)).toEqual([
      windowOf('hourly', last),
      previousHour,
      windowOf('hourly', now),
    ]);
  });
  it('covers both periods when highUsage and failures differ', () => {
    const both: AlertSettings = { ...daily, failures: { threshold: 5, period: 'hourly' } };
    expect(thresholdWindows(both, now, null)).toEqual([
      yesterday,
      windowOf('daily', now),
      previousHour,
      windowOf('hourly', now),
    ]);
  });
});

describe('alertSettingsSchema', () => {
  it.each([
    [{ highUsage: { threshold: 10, period: 'daily', warnAt: 0.9 } }, true],
    [{ highUsage: { threshold: 10, period: 'daily', warnAt: null } }, true],
    [{ highUsage: { threshold: 10, period: 'daily', warnAt: 1 } }, false],
    [{ failures: { threshold: 10, period: 'hourly', rate: 0.2, minRequests: 50 } }, true],
    [{ failures: { threshold: 10, period: 'hourly', rate: 1.5 } }, false],
    [{ failures: { threshold: 10, period: 'weekly' } }, false],
    [{ unusualActivity: { enabled: true, learningDays: 0 } }, true],
    [{ somethingElse: true }, false],
  ])('%j valid: %s', (input, valid) => {
    expect(alertSettingsSchema.safeParse(input).success).toBe(valid);
  });
});

describe('effectiveSettings', () => {
  it('lets the key override the org field by field', () => {
    expect(
      effectiveSettings(
        { unusualActivity: true, highUsage: { threshold: 10_000, period: 'daily' } },
        { highUsage: { threshold: 20, period: 'hourly' } },
      ),
    ).toEqual({ unusualActivity: true, highUsage: { threshold: 20, period: 'hourly' } });
    expect(effectiveSettings(null, null)).toEqual({});
  });
});
