import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AlertSettings,
  evaluateUnusual,
  type HourUsage,
  type KeyHistory,
  keyHistoryOf,
  learnBaseline,
  p95,
  UNUSUAL,
  unusualHours,
  unusualHoursOf,
  unusualSettingsOf,
  windowOf,
} from '../src/index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const created = new Date('2026-10-01T00:00:00Z');
const now = new Date('2026-11-22T10:30:00Z');
const thisHour = Date.parse('2026-11-22T10:00:00Z');
const on: AlertSettings = { unusualActivity: true };
const at = (sensitivity: 'low' | 'medium' | 'high'): AlertSettings => ({
  unusualActivity: { enabled: true, sensitivity },
});

/** Four weeks of hourly history before this hour, each hour as `usage` says (null: no requests). */
function history(
  usage: (start: number) => Partial<HourUsage> | null,
  { days = 28, current = {} as Partial<HourUsage> | null, usedUntilBefore = null as number | null } = {},
): KeyHistory {
  const hours = new Map<number, HourUsage>();
  for (let start = thisHour - days * DAY; start < thisHour; start += HOUR) {
    const hour = usage(start);
    if (hour) hours.set(start, { requests: 10, distinctIps: 2, countries: ['GB'], ...hour });
  }
  if (current) hours.set(thisHour, { requests: 10, distinctIps: 2, countries: ['GB'], ...current });
  return keyHistoryOf(hours, thisHour - days * DAY, usedUntilBefore);
}
const steady = () => ({});
const hourOfDay = (start: number) => new Date(start).getUTCHours();

const signals = (h: KeyHistory, settings: AlertSettings = on, keyCreatedAt = created) =>
  evaluateUnusual(settings, {
    keyCreatedAt,
    hours: unusualHoursOf(h, [windowOf('hourly', new Date(thisHour))]),
  }).map((d) => d.subject);

describe('unusualSettingsOf', () => {
  it.each([
    [{}, null],
    [{ unusualActivity: false }, null],
    [{ unusualActivity: true }, { learningDays: 7, sensitivity: 'medium' }],
    [{ unusualActivity: { enabled: true } }, { learningDays: 7, sensitivity: 'medium' }],
    [{ unusualActivity: { enabled: true, learningDays: 0 } }, { learningDays: 0, sensitivity: 'medium' }],
    [{ unusualActivity: { enabled: true, sensitivity: 'high' } }, { learningDays: 7, sensitivity: 'high' }],
    [{ unusualActivity: { enabled: false, learningDays: 3 } }, null],
  ] as const)('%j → %j', (settings, expected) => {
    expect(unusualSettingsOf(settings)).toEqual(expected);
  });
});

describe('p95', () => {
  it.each([
    [[], 0],
    [[5], 5],
    [Array.from({ length: 100 }, (_, i) => i + 1), 95],
    [[...Array(159).fill(0), ...Array(9).fill(50)], 50],
    [[...Array(165).fill(0), 1000, 1000, 1000], 0],
    // Out of order, and sorted as numbers (as text, 9 would come after 10).
    [Array.from({ length: 20 }, (_, i) => 20 - i), 19],
    [[1000, 3, 200, 9, 40], 1000],
  ])('%j → %i', (values, expected) => {
    expect(p95(values)).toBe(expected);
  });

  it('is the nearest rank: one of the values, with at least 95 % of them at or below it and fewer below', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 200 }), (values) => {
        const p = p95(values);
        const rank = Math.ceil(0.95 * values.length);
        expect(values).toContain(p);
        expect(values.filter((v) => v <= p).length).toBeGreaterThanOrEqual(rank);
        expect(values.filter((v) => v < p).length).toBeLessThan(rank);
      }),
      { seed: 4242, numRuns: 200 },
    );
  });
});

describe('unusualHours', () => {
  it('is the hour before and the current hour', () => {
    expect(unusualHours(now)).toEqual([
      windowOf('hourly', new Date('2026-11-22T09:59:59.999Z')),
      windowOf('hourly', now),
    ]);
    expect(unusualHours(new Date('2026-11-22T10:00:00Z'))[0]!.start).toEqual(
      new Date('2026-11-22T09:00:00Z'),
    );
  });
});

describe('learnBaseline', () => {
  it('takes the usual requests from the same hour of the day and week: the second most of them', () => {
    // Ten an hour, and a nightly batch of 150 at this hour of the day.
    const nightly = history((s) => ({ requests: hourOfDay(s) === 10 ? 150 : 10 }));
    expect(learnBaseline(nightly, thisHour).usualRequests).toBe(150);
    expect(learnBaseline(nightly, thisHour + HOUR).usualRequests).toBe(10);
    // One odd hour does not set the bar; two do. Three weeks ago counts, four weeks ago is forgotten.
    const odd = (...daysBack: number[]) =>
      history((s) => ({ requests: daysBack.some((d) => s === thisHour - d * DAY) ? 500 : 10 }));
    expect(learnBaseline(odd(1), thisHour).usualRequests).toBe(10);
    expect(learnBaseline(odd(1, 21), thisHour).usualRequests).toBe(500);
    expect(learnBaseline(odd(1, 28), thisHour).usualRequests).toBe(10);
    // A burst at another hour of the day does not count.
    const other = history((s) => ({ requests: s === thisHour - DAY - HOUR ? 1690 : 10 }));
    expect(learnBaseline(other, thisHour).usualRequests).toBe(10);
  });

  it('never takes less than half the key’s average busy hour of four weeks: a quiet week is not the norm', () => {
    // Thirty an hour, then three weeks off: this hour's samples are all zero.
    const back = history((s) => (s < thisHour - 21 * DAY - HOUR ? { requests: 30 } : null), {
      current: { requests: 31 },
    });
    expect(learnBaseline(back, thisHour).usualRequests).toBe(15);
    expect(signals(back)).toEqual([]);
    const spike = history((s) => (s < thisHour - 21 * DAY - HOUR ? { requests: 30 } : null), {
      current: { requests: 300 },
    });
    expect(signals(spike)).toEqual(['volumeSpike']);
  });

  it('takes the usual distinct IPs from the same hour of the day, or the week’s p95', () => {
    const pool = history((s) => ({ distinctIps: 30 + ((s / HOUR) % 10) }));
    expect(learnBaseline(pool, thisHour).usualIps).toBe(39);
    const daily = history((s) => ({ distinctIps: hourOfDay(s) === 10 ? 80 : 5 }));
    expect(learnBaseline(daily, thisHour).usualIps).toBe(80);
    // Eight days ago is beyond the IPs' week.
    const old = history((s) => ({ distinctIps: s === thisHour - 8 * DAY ? 80 : 5 }));
    expect(learnBaseline(old, thisHour).usualIps).toBe(5);
  });

  it('remembers the countries of four weeks, and counts those that were new after the first day', () => {
    const h = history((s) =>
      s === thisHour - 28 * DAY
        ? { countries: ['GB', 'NL'] }
        : s === thisHour - 10 * DAY
          ? { countries: ['GB', 'FR'] }
          : {},
    );
    expect(learnBaseline(h, thisHour)).toMatchObject({
      countries: ['FR', 'GB', 'NL'],
      newCountriesLately: 1,
    });
    // An hour later NL's only use is four weeks and an hour old: forgotten.
    expect(learnBaseline(h, thisHour + HOUR).countries).toEqual(['FR', 'GB']);
    // A young key: what it used on its first day is where it started, not new.
    const young = history((s) =>
      s < thisHour - 3 * DAY ? null : { countries: s < thisHour - 2 * DAY ? ['GB', 'US'] : ['GB'] },
    );
    expect(learnBaseline(young, thisHour)).toMatchObject({ countries: ['GB', 'US'], newCountriesLately: 0 });
  });

  it('knows the last use before the hour: the end of its last hour, or what came before the history', () => {
    const h = history((s) => (s === thisHour - 5 * DAY ? {} : null));
    expect(learnBaseline(h, thisHour).lastUsedBefore).toEqual(new Date(thisHour - 5 * DAY + HOUR));
    const none = history(() => null, { usedUntilBefore: thisHour - 40 * DAY });
    expect(learnBaseline(none, thisHour).lastUsedBefore).toEqual(new Date(thisHour - 40 * DAY));
    expect(
      learnBaseline(
        history(() => null),
        thisHour,
      ).lastUsedBefore,
    ).toBeNull();
  });

  it('never looks at the hour itself or later', () => {
    fc.assert(
      fc.property(fc.nat({ max: 5000 }), fc.nat({ max: 500 }), (requests, ips) => {
        const base = history(steady, { current: null });
        const withHour = history(steady, { current: { requests, distinctIps: ips, countries: ['BR'] } });
        expect(learnBaseline(withHour, thisHour)).toEqual(learnBaseline(base, thisHour));
      }),
    );
  });

  it('takes the smaller of two bursts at this hour as the usual requests', () => {
    const bursts = history((s) => ({
      requests: s === thisHour - DAY ? 500 : s === thisHour - 2 * DAY ? 300 : 10,
    }));
    expect(learnBaseline(bursts, thisHour).usualRequests).toBe(300);
  });

  it('past the last week, remembers the same hour of the week, not of every day', () => {
    const odd = (...daysBack: number[]) =>
      history((s) => ({ requests: daysBack.some((d) => s === thisHour - d * DAY) ? 500 : 10 }));
    expect(learnBaseline(odd(1, 14), thisHour).usualRequests).toBe(500);
    expect(learnBaseline(odd(1, 10), thisHour).usualRequests).toBe(10);
    expect(learnBaseline(odd(1, 13), thisHour).usualRequests).toBe(10);
  });

  it('expects no requests of a key unused for four weeks', () => {
    expect(
      learnBaseline(
        history(() => null),
        thisHour,
      ).usualRequests,
    ).toBe(0);
  });

  it('takes the most IPs of the same hour of the day, a week ago included, however old hours compare', () => {
    const busy = (daysBack: number) =>
      history((s) => ({ distinctIps: s === thisHour - daysBack * DAY ? 80 : 5 }));
    expect(learnBaseline(busy(1), thisHour).usualIps).toBe(80);
    expect(learnBaseline(busy(7), thisHour).usualIps).toBe(80);
    expect(learnBaseline(busy(8), thisHour).usualIps).toBe(5);
  });

  it('takes the week’s p95 of IPs: nine busy hours anywhere in it set the bar, eight do not', () => {
    // 95 % of the week's 168 hours is 160, so the ninth busiest hour is the p95. These are the
    // week's oldest hours, none at this hour of the day.
    const weekStart = thisHour - 7 * DAY + HOUR;
    const busiest = (hours: number) =>
      history((s) => ({ distinctIps: s >= weekStart && s < weekStart + hours * HOUR ? 80 : 5 }));
    expect(learnBaseline(busiest(9), thisHour).usualIps).toBe(80);
    expect(learnBaseline(busiest(8), thisHour).usualIps).toBe(5);
  });

  it('counts a country first used a full day after the key’s first as new, one used within that day not', () => {
    const firstUse = thisHour - 5 * DAY;
    const withFrance = (from: number) =>
      history((s) => (s < firstUse ? null : { countries: s === from ? ['GB', 'FR'] : ['GB'] }));
    expect(learnBaseline(withFrance(firstUse + DAY), thisHour).newCountriesLately).toBe(1);
    expect(learnBaseline(withFrance(firstUse + DAY - HOUR), thisHour).newCountriesLately).toBe(0);
  });

  it('remembers every country of back-to-back hours that share another', () => {
    const h = history((s) => ({
      countries:
        s === thisHour - 3 * DAY ? ['GB', 'FR'] : s === thisHour - 3 * DAY - HOUR ? ['GB', 'US'] : ['GB'],
    }));
    expect(learnBaseline(h, thisHour).countries).toEqual(['FR', 'GB', 'US']);
  });

  it('looks for the last use past the four weeks, back to the start of the history held', () => {
    const usedOnlyAt = (start: number) =>
      history((s) => (s === start ? {} : null), { days: 35, usedUntilBefore: thisHour - 60 * DAY });
    // Just before the four weeks: 28 days idle, not dormant, whatever came before.
    const justBefore = usedOnlyAt(thisHour - 28 * DAY - HOUR);
    expect(learnBaseline(justBefore, thisHour).lastUsedBefore).toEqual(new Date(thisHour - 28 * DAY));
    expect(signals(justBefore)).toEqual([]);
    // The first hour held.
    const first = usedOnlyAt(thisHour - 35 * DAY);
    expect(learnBaseline(first, thisHour).lastUsedBefore).toEqual(new Date(thisHour - 35 * DAY + HOUR));
    // Used since: the latest use, however much older history is held.
    expect(learnBaseline(history(steady, { days: 35 }), thisHour).lastUsedBefore).toEqual(new Date(thisHour));
  });

  it('takes an hour held without requests for no use', () => {
    // Thirty an hour until ten days ago; the hours since are held, but empty.
    const used = (s: number) => s < thisHour - 10 * DAY;
    const empty = { requests: 0, distinctIps: 0, countries: [] };
    const heldEmpty = history((s) => (used(s) ? { requests: 30 } : empty), { days: 35 });
    const notHeld = history((s) => (used(s) ? { requests: 30 } : null), { days: 35 });
    expect(learnBaseline(heldEmpty, thisHour)).toEqual(learnBaseline(notHeld, thisHour));
    expect(learnBaseline(heldEmpty, thisHour).lastUsedBefore).toEqual(new Date(thisHour - 10 * DAY));
    const idle = history((s) => (s < thisHour - 31 * DAY ? {} : empty), { days: 35 });
    expect(signals(idle)).toEqual(['dormantReuse']);
  });
});

describe('unusualHoursOf', () => {
  it('gives each hour what was seen in it, an hour without requests as none, and learns no baseline unasked', () => {
    const h = history(steady, { current: null });
    let learned = 0;
    const [previous, current] = unusualHoursOf(h, unusualHours(now), (start) => {
      learned++;
      return learnBaseline(h, start);
    });
    expect(previous!.seen).toEqual({ requests: 10, distinctIps: 2, countries: ['GB'] });
    expect(current!.seen).toEqual({ requests: 0, distinctIps: 0, countries: [] });
    expect(learned).toBe(0);
    expect(current!.baseline.lastUsedBefore).toEqual(new Date(thisHour));
    expect(learned).toBe(1);
  });
});

describe('evaluateUnusual: benign habits stay quiet', () => {
  it.each([
    ['steady use', history(steady)],
    [
      'a nightly batch at its hour',
      history((s) => ({ requests: hourOfDay(s) === 10 ? 400 : 10 }), { current: { requests: 420 } }),
    ],
    [
      'a diurnal peak a little above last week’s',
      history((s) => ({ requests: hourOfDay(s) === 10 ? 200 : 20 }), { current: { requests: 260 } }),
    ],
    [
      'steady growth',
      history((s) => ({ requests: Math.round(100 * 1.02 ** ((s - thisHour) / DAY + 28)) }), {
        current: { requests: 180 },
      }),
    ],
    ['a rotating egress pool', history(() => ({ distinctIps: 40 }), { current: { distinctIps: 70 } })],
    [
      'a browser-facing key picking up countries',
      history(
        (s) => ({
          countries: s === thisHour - 3 * DAY ? ['JP'] : s === thisHour - 6 * DAY ? ['KE'] : ['GB'],
        }),
        {
          current: { countries: ['BR'] },
        },
      ),
    ],
    [
      'a key used from everywhere',
      history(
        (s) => ({
          countries: [['GB', 'US', 'DE', 'FR', 'JP', 'BR', 'IN', 'CA', 'AU', 'NL'][(s / HOUR) % 10]!],
        }),
        {
          current: { countries: ['ZA'] },
        },
      ),
    ],
    [
      'a multi-region key in its usual countries',
      history(() => ({ countries: ['GB', 'US', 'SG'] }), { current: { countries: ['SG', 'US'] } }),
    ],
    ['a low-volume key doubling', history(() => ({ requests: 2 }), { current: { requests: 12 } })],
    ['an hour without requests', history(steady, { current: null })],
  ])('%s', (_, h) => {
    expect(signals(h)).toEqual([]);
  });

  it('is off when the rule is off', () => {
    const h = history(steady, { current: { requests: 5000, distinctIps: 500, countries: ['BR'] } });
    expect(signals(h, { unusualActivity: false })).toEqual([]);
    expect(signals(h, {})).toEqual([]);
    expect(signals(h)).toEqual(['newCountry:BR', 'volumeSpike', 'ipFanOut']);
  });
});

describe('evaluateUnusual: incidents fire, explained', () => {
  it('a leaked key used from a new country, for a few requests', () => {
    const h = history(() => ({ countries: ['GB', 'US', 'SG'] }), {
      current: { requests: 4, countries: ['GB', 'RU'] },
    });
    const [decision] = evaluateUnusual(on, {
      keyCreatedAt: created,
      hours: unusualHoursOf(h, [windowOf('hourly', new Date(thisHour))]),
    });
    expect(decision).toMatchObject({
      subject: 'newCountry:RU',
      severity: 'warning',
      details: {
        signal: 'newCountry',
        usual: { countries: ['GB', 'SG', 'US'], newCountriesLately: 0 },
        seen: { country: 'RU', requests: 4 },
      },
    });
  });

  it('a new country for a key that only once picked up another; not at low sensitivity', () => {
    const h = history((s) => ({ countries: s === thisHour - 3 * DAY ? ['JP'] : ['GB'] }), {
      current: { countries: ['BR'] },
    });
    expect(signals(h)).toEqual(['newCountry:BR']);
    expect(signals(h, at('low'))).toEqual([]);
  });

  it('a volume spike at ten times this hour’s usual, and the threshold follows sensitivity', () => {
    const h = history((s) => ({ requests: hourOfDay(s) === 10 ? 100 : 10 }), { current: { requests: 1000 } });
    const [decision] = evaluateUnusual(on, {
      keyCreatedAt: created,
      hours: unusualHoursOf(h, [windowOf('hourly', new Date(thisHour))]),
    });
    expect(decision).toMatchObject({
      subject: 'volumeSpike',
      severity: 'critical',
      value: 1000,
      threshold: 350,
      details: { signal: 'volumeSpike', usual: { requests: 100, factor: 3.5 }, seen: { requests: 1000 } },
    });
    const spike = (requests: number, settings: AlertSettings) =>
      signals(
        history((s) => ({ requests: hourOfDay(s) === 10 ? 100 : 10 }), { current: { requests } }),
        settings,
      );
    expect(spike(349, on)).toEqual([]);
    expect(spike(350, on)).toEqual(['volumeSpike']);
    expect(spike(249, at('high'))).toEqual([]);
    expect(spike(250, at('high'))).toEqual(['volumeSpike']);
    expect(spike(599, at('low'))).toEqual([]);
    expect(spike(600, at('low'))).toEqual(['volumeSpike']);
  });

  it('a spike on a quiet key needs the floor', () => {
    const quiet = (requests: number) => signals(history(() => ({ requests: 1 }), { current: { requests } }));
    expect(quiet(UNUSUAL.volume.medium.floor - 1)).toEqual([]);
    expect(quiet(UNUSUAL.volume.medium.floor)).toEqual(['volumeSpike']);
  });

  it('a fan-out to many IPs, relative to the key’s own', () => {
    const pool = (distinctIps: number) =>
      signals(history(() => ({ distinctIps: 40 }), { current: { distinctIps } }));
    expect(pool(79)).toEqual([]);
    expect(pool(80)).toEqual(['ipFanOut']);
    const small = (distinctIps: number) =>
      signals(history(() => ({ distinctIps: 1 }), { current: { distinctIps } }));
    expect(small(UNUSUAL.ipFanOut.medium.floor - 1)).toEqual([]);
    expect(small(UNUSUAL.ipFanOut.medium.floor)).toEqual(['ipFanOut']);
  });

  it('a dormant key used again after 30 days, not 29', () => {
    const idle = (days: number) => signals(history(() => null, { usedUntilBefore: thisHour - days * DAY }));
    expect(idle(30)).toEqual(['dormantReuse']);
    expect(idle(29)).toEqual([]);
  });

  const decisionsOf = (h: KeyHistory) =>
    evaluateUnusual(on, {
      keyCreatedAt: created,
      hours: unusualHoursOf(h, [windowOf('hourly', new Date(thisHour))]),
    });

  it('a fan-out, explained: the key’s usual IPs, the factor, and what was seen', () => {
    const h = history(() => ({ distinctIps: 40 }), { current: { distinctIps: 95 } });
    expect(decisionsOf(h)).toEqual([
      {
        rule: 'unusualActivity',
        subject: 'ipFanOut',
        severity: 'critical',
        window: windowOf('hourly', new Date(thisHour)),
        value: 95,
        threshold: 80, // twice the usual 40, at medium sensitivity
        details: {
          signal: 'ipFanOut',
          usual: { distinctIps: 40, factor: UNUSUAL.ipFanOut.medium.factor },
          seen: { distinctIps: 95 },
        },
      },
    ]);
  });

  it('a dormant key used again, explained: when it was last used, and how long it was idle', () => {
    const lastUsed = thisHour - 45 * DAY;
    const h = history(() => null, { usedUntilBefore: lastUsed, current: { requests: 3 } });
    expect(decisionsOf(h)).toEqual([
      {
        rule: 'unusualActivity',
        subject: 'dormantReuse',
        severity: 'warning',
        window: windowOf('hourly', new Date(thisHour)),
        value: 45,
        threshold: UNUSUAL.dormantDays,
        details: {
          signal: 'dormantReuse',
          usual: { lastUsedBefore: new Date(lastUsed).toISOString() },
          seen: { requests: 3, idleDays: 45 },
        },
      },
    ]);
  });

  it('a dormant key back with a burst: a spike from the floor as well', () => {
    const back = (requests: number) =>
      signals(history(() => null, { usedUntilBefore: thisHour - 40 * DAY, current: { requests } }));
    expect(back(UNUSUAL.volume.medium.floor)).toEqual(['volumeSpike', 'dormantReuse']);
    expect(back(UNUSUAL.volume.medium.floor - 1)).toEqual(['dormantReuse']);
  });

  it('nothing from a dormant key while it stays unused', () => {
    expect(signals(history(() => null, { usedUntilBefore: thisHour - 40 * DAY, current: null }))).toEqual([]);
  });

  it('a new country for a key first used from unknown places: its warm-up starts at its first known country', () => {
    // Three weeks from addresses of no known country, then five days from two regions at once.
    const h = history((s) => ({ countries: s < thisHour - 5 * DAY ? [] : ['GB', 'FR'] }), {
      current: { countries: ['RU'] },
    });
    expect(learnBaseline(h, thisHour)).toMatchObject({ countries: ['FR', 'GB'], newCountriesLately: 0 });
    expect(signals(h)).toEqual(['newCountry:RU']);
  });

  it('two new countries in one hour: an alert for each, in the same order whichever came first', () => {
    const seenFrom = (countries: string[]) => signals(history(steady, { current: { countries } }));
    expect(seenFrom(['GB', 'RU', 'CN'])).toEqual(['newCountry:CN', 'newCountry:RU']);
    expect(seenFrom(['GB', 'CN', 'RU'])).toEqual(['newCountry:CN', 'newCountry:RU']);
  });
});

describe('evaluateUnusual: learning', () => {
  const leaked = () => history(steady, { current: { requests: 5000, distinctIps: 500, countries: ['BR'] } });

  it('stays quiet until the hour that ends as the learning period does, and watches the next', () => {
    const learnedAtHourEnd = new Date(thisHour + HOUR - 7 * DAY);
    expect(signals(leaked(), on, learnedAtHourEnd)).toEqual([]);
    expect(signals(leaked(), on, new Date(learnedAtHourEnd.getTime() - 1))).toHaveLength(3);
    const learningDays = (days: number) => ({ unusualActivity: { enabled: true, learningDays: days } });
    expect(signals(leaked(), learningDays(14), new Date(thisHour - 10 * DAY))).toEqual([]);
    expect(signals(leaked(), learningDays(3), new Date(thisHour - 10 * DAY))).toHaveLength(3);
  });

  it('with learningDays 0, the first country is the baseline and the next new one is unusual', () => {
    const zero: AlertSettings = { unusualActivity: { enabled: true, learningDays: 0 } };
    const justCreated = new Date(thisHour - HOUR);
    const first = history((s) => (s === thisHour - HOUR ? null : null), { current: { countries: ['GB'] } });
    expect(signals(first, zero, justCreated)).toEqual([]);
    const second = history((s) => (s === thisHour - HOUR ? { countries: ['GB'] } : null), {
      current: { countries: ['US'] },
    });
    expect(signals(second, zero, justCreated)).toEqual(['newCountry:US']);
    // Both in the key's first hour: the one it was first used from is the baseline.
    const both = (countries: string[]) => history(() => null, { current: { countries } });
    expect(signals(both(['GB', 'US']), zero, justCreated)).toEqual(['newCountry:US']);
    expect(signals(both(['US', 'GB']), zero, justCreated)).toEqual(['newCountry:GB']);
    const [decision] = evaluateUnusual(zero, {
      keyCreatedAt: justCreated,
      hours: unusualHoursOf(both(['US', 'GB']), [windowOf('hourly', new Date(thisHour))]),
    });
    expect(decision!.details).toMatchObject({ usual: { countries: ['US'] }, seen: { country: 'GB' } });
  });

  it('forgets: a country unused for four weeks is new again', () => {
    const lastUse = (daysAgo: number) =>
      history((s) => ({ countries: s === thisHour - daysAgo * DAY - HOUR ? ['GB', 'DE'] : ['GB'] }), {
        current: { countries: ['DE'] },
      });
    expect(signals(lastUse(27))).toEqual([]);
    expect(signals(lastUse(28))).toEqual(['newCountry:DE']);
  });
});
