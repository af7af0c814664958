import { describe, expect, it } from 'vitest';
import {
  type AlertSettings,
  effectiveSettings,
  evaluateHighUsage,
  highUsageWindows,
  windowOf,
} from '../src/index.ts';

const now = new Date('2026-11-22T10:30:00Z');
const daily: AlertSettings = { highUsage: { threshold: 20, period: 'daily' } };
const hourly: AlertSettings = { highUsage: { threshold: 100, period: 'hourly' } };

describe('evaluateHighUsage', () => {
  it.each([
    ['below the threshold', daily, 19, 0],
    ['at the threshold', daily, 20, 1],
    ['above the threshold', daily, 30, 1],
    ['hourly, below', hourly, 99, 0],
    ['hourly, at', hourly, 100, 1],
    ['no highUsage setting', {}, 1_000_000, 0],
  ])('%s → %i decisions', (_name, settings, requests, expected) => {
    const period = settings.highUsage?.period ?? 'daily';
    const decisions = evaluateHighUsage(settings, [{ window: windowOf(period, now), requests }]);
    expect(decisions).toHaveLength(expected);
    if (expected) {
      expect(decisions[0]).toMatchObject({
        rule: 'highUsage',
        value: requests,
        threshold: settings.highUsage!.threshold,
      });
    }
  });

  it('ignores counts from windows of another period', () => {
    expect(evaluateHighUsage(daily, [{ window: windowOf('hourly', now), requests: 500 }])).toEqual([]);
  });

  it('decides per window', () => {
    const yesterday = windowOf('daily', new Date('2026-11-21T23:59:59Z'));
    const today = windowOf('daily', now);
    const decisions = evaluateHighUsage(daily, [
      { window: yesterday, requests: 25 },
      { window: today, requests: 3 },
    ]);
    expect(decisions.map((d) => d.window.start.toISOString())).toEqual(['2026-11-21T00:00:00.000Z']);
  });
});

describe('highUsageWindows', () => {
  const previousHour = windowOf('hourly', new Date('2026-11-22T09:30:00Z'));
  const yesterday = windowOf('daily', new Date('2026-11-21T12:00:00Z'));

  it('is nothing without the rule', () => {
    expect(highUsageWindows({}, now, now)).toEqual([]);
  });
  it('is the previous and the current window for a key used in either', () => {
    expect(highUsageWindows(daily, now, new Date('2026-11-22T00:00:01Z'))).toEqual([
      yesterday,
      windowOf('daily', now),
    ]);
    expect(highUsageWindows(hourly, now, new Date('2026-11-22T09:59:59.900Z'))).toEqual([
      previousHour,
      windowOf('hourly', now),
    ]);
  });
  it('is the previous and the current window for a key never used', () => {
    expect(highUsageWindows(hourly, now, null)).toEqual([previousHour, windowOf('hourly', now)]);
  });
  it('adds the window of an older last use', () => {
    const last = new Date('2026-11-22T07:15:00Z');
    expect(highUsageWindows(hourly, now, last)).toEqual([
      windowOf('hourly', last),
      previousHour,
      windowOf('hourly', now),
    ]);
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
