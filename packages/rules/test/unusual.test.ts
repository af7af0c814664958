import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AlertSettings,
  evaluateUnusual,
  learningDaysOf,
  p95,
  type UnusualHour,
  type UnusualInput,
  unusualHours,
  windowOf,
} from '../src/index.ts';

const DAY = 86_400_000;
const created = new Date('2026-11-01T00:00:00Z');
const now = new Date('2026-11-22T10:30:00Z');
const on: AlertSettings = { unusualActivity: true };

const hour = (over: Partial<UnusualHour> = {}): UnusualHour => ({
  window: windowOf('hourly', now),
  requests: 10,
  countries: ['GB'],
  distinctIps: 2,
  history: Array(168).fill(10),
  lastUseBefore: new Date(now.getTime() - 3_600_000),
  ...over,
});
const input = (over: Partial<UnusualInput> = {}): UnusualInput => ({
  keyCreatedAt: created,
  countriesSeen: [{ country: 'GB', firstSeenAt: new Date(created.getTime() + 3_600_000) }],
  hours: [hour()],
  ...over,
});
const subjects = (settings: AlertSettings, i: UnusualInput) =>
  evaluateUnusual(settings, i).map((d) => d.subject);

describe('learningDaysOf', () => {
  it.each([
    [{}, null],
    [{ unusualActivity: false }, null],
    [{ unusualActivity: true }, 7],
    [{ unusualActivity: { enabled: true } }, 7],
    [{ unusualActivity: { enabled: true, learningDays: 0 } }, 0],
    [{ unusualActivity: { enabled: false, learningDays: 3 } }, null],
  ] as const)('%j → %s', (settings, days) => {
    expect(learningDaysOf(settings)).toBe(days);
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

describe('evaluateUnusual', () => {
  it('is quiet for ordinary use, and when the rule is off', () => {
    expect(subjects(on, input())).toEqual([]);
    expect(subjects({ unusualActivity: false }, input({ hours: [hour({ requests: 100_000 })] }))).toEqual([]);
  });

  it('flags a country never seen for this key, once learned, naming it', () => {
    const br = { country: 'BR', firstSeenAt: new Date('2026-11-22T10:05:00Z') };
    const [d] = evaluateUnusual(on, input({ countriesSeen: [...input().countriesSeen, br] }));
    expect(d).toMatchObject({ rule: 'unusualActivity', subject: 'newCountry:BR', severity: 'warning' });
    expect(d!.details).toEqual({
      signal: 'newCountry',
      country: 'BR',
      firstSeenAt: '2026-11-22T10:05:00.000Z',
    });
  });

  it('learns countries during the learning period, and looks only at countries new in the hour', () => {
    const early = { country: 'US', firstSeenAt: new Date(created.getTime() + 6 * DAY) };
    const lastWeek = { country: 'NL', firstSeenAt: new Date('2026-11-15T10:05:00Z') };
    expect(subjects(on, input({ countriesSeen: [...input().countriesSeen, early, lastWeek] }))).toEqual([]);
  });

  it('with learningDays 0, the first country is the baseline and the next new one is unusual', () => {
    const fresh = new Date('2026-11-22T10:00:00Z');
    const zero: AlertSettings = { unusualActivity: { enabled: true, learningDays: 0 } };
    const gb = { country: 'GB', firstSeenAt: new Date('2026-11-22T10:01:00Z') };
    const fr = { country: 'FR', firstSeenAt: new Date('2026-11-22T10:02:00Z') };
    expect(subjects(zero, input({ keyCreatedAt: fresh, countriesSeen: [gb] }))).toEqual([]);
    expect(subjects(zero, input({ keyCreatedAt: fresh, countriesSeen: [gb, fr] }))).toEqual([
      'newCountry:FR',
    ]);
    // The default learning week: nothing yet for a key created this morning.
    expect(subjects(on, input({ keyCreatedAt: fresh, countriesSeen: [gb, fr] }))).toEqual([]);
    // The baseline is the earliest country, in whatever order they are listed.
    expect(subjects(zero, input({ keyCreatedAt: fresh, countriesSeen: [fr, gb] }))).toEqual([
      'newCountry:FR',
    ]);
  });

  it('takes a country first seen at the very end of the learning period as new', () => {
    const createdMidHour = new Date(created.getTime() + 30 * 60_000);
    const learned = new Date(createdMidHour.getTime() + 7 * DAY);
    const at = (firstSeenAt: Date) =>
      subjects(
        on,
        input({
          keyCreatedAt: createdMidHour,
          countriesSeen: [...input().countriesSeen, { country: 'BR', firstSeenAt }],
          hours: [hour({ window: windowOf('hourly', learned) })],
        }),
      );
    expect(at(new Date(learned.getTime() - 1))).toEqual([]);
    expect(at(learned)).toEqual(['newCountry:BR']);
  });

  it('counts a new country in the hour [start, end) it was first seen in', () => {
    const thisHour = windowOf('hourly', now);
    const at = (firstSeenAt: Date) =>
      subjects(on, input({ countriesSeen: [...input().countriesSeen, { country: 'BR', firstSeenAt }] }));
    expect(at(new Date(thisHour.start.getTime() - 1))).toEqual([]);
    expect(at(thisHour.start)).toEqual(['newCountry:BR']);
    expect(at(new Date(thisHour.end.getTime() - 1))).toEqual(['newCountry:BR']);
    expect(at(thisHour.end)).toEqual([]);
  });

  it.each([
    ['at 5× the hourly p95', 150, 30, ['volumeSpike']],
    ['just under', 149, 30, []],
    ['under the floor of 100 for a quiet key', 99, 0, []],
    ['at the floor for a quiet key', 100, 0, ['volumeSpike']],
    ['at 5× a busy p95', 5000, 1000, ['volumeSpike']],
  ])('volume spike: %s', (_name, requests, usual, expected) => {
    const history = Array(168).fill(usual);
    const spike = Math.max(100, 5 * usual);
    const decisions = evaluateUnusual(on, input({ hours: [hour({ requests, history })] }));
    expect(decisions.map((d) => d.subject)).toEqual(expected);
    if (expected.length)
      expect(decisions[0]).toMatchObject({ value: requests, threshold: spike, severity: 'critical' });
  });

  it.each([
    ['used again after 30 days idle', 30, ['dormantReuse']],
    ['after 45 days', 45, ['dormantReuse']],
    ['after 29 days', 29, []],
  ])('%s', (_name, idle, expected) => {
    const lastUseBefore = new Date(windowOf('hourly', now).start.getTime() - idle * DAY);
    const decisions = evaluateUnusual(on, input({ hours: [hour({ lastUseBefore })] }));
    expect(decisions.map((d) => d.subject)).toEqual(expected);
    if (expected.length) expect(decisions[0]).toMatchObject({ value: idle, threshold: 30 });
  });

  it.each([
    [['GB', 'US'], 19, []],
    [['GB', 'US', 'BR'], 2, ['manyCountries']],
    [['GB'], 20, ['manyIps']],
    [['GB', 'US', 'BR', 'JP'], 50, ['manyCountries', 'manyIps']],
  ])('fan-out: countries %j and %i IPs in an hour → %j', (countries, distinctIps, expected) => {
    expect(subjects(on, input({ hours: [hour({ countries, distinctIps })] }))).toEqual(expected);
  });

  it('stays quiet during the learning period and for an hour without requests', () => {
    const busy = hour({
      requests: 10_000,
      countries: ['GB', 'US', 'BR'],
      distinctIps: 99,
      lastUseBefore: null,
    });
    expect(subjects(on, input({ keyCreatedAt: new Date(now.getTime() - 6 * DAY), hours: [busy] }))).toEqual(
      [],
    );
    expect(subjects(on, input({ hours: [hour({ requests: 0, countries: ['GB', 'US', 'BR'] })] }))).toEqual(
      [],
    );
  });

  it('still learns in the hour that ends as the learning period does, and watches the next', () => {
    const fanned = hour({ distinctIps: 20, lastUseBefore: null });
    const learnedAtHourEnd = new Date(windowOf('hourly', now).end.getTime() - 7 * DAY);
    const learnedJustBefore = new Date(learnedAtHourEnd.getTime() - 1);
    expect(subjects(on, input({ keyCreatedAt: learnedAtHourEnd, hours: [fanned] }))).toEqual([]);
    expect(subjects(on, input({ keyCreatedAt: learnedJustBefore, hours: [fanned] }))).toEqual(['manyIps']);
  });

  it('explains each signal', () => {
    const thisHour = windowOf('hourly', now);
    const lastUseBefore = new Date(thisHour.start.getTime() - 40 * DAY);
    const decisions = evaluateUnusual(
      on,
      input({
        hours: [
          hour({
            requests: 600,
            history: Array(168).fill(100),
            countries: ['US', 'BR', 'GB'],
            distinctIps: 25,
            lastUseBefore,
          }),
        ],
      }),
    );
    const common = { rule: 'unusualActivity', window: thisHour };
    expect(decisions).toEqual([
      {
        ...common,
        subject: 'volumeSpike',
        severity: 'critical',
        value: 600,
        threshold: 500,
        details: { signal: 'volumeSpike', hourlyP95: 100, factor: 5 },
      },
      {
        ...common,
        subject: 'dormantReuse',
        severity: 'warning',
        value: 40,
        threshold: 30,
        details: { signal: 'dormantReuse', lastUseBefore: lastUseBefore.toISOString() },
      },
      {
        ...common,
        subject: 'manyCountries',
        severity: 'critical',
        value: 3,
        threshold: 3,
        details: { signal: 'manyCountries', countries: ['BR', 'GB', 'US'] },
      },
      {
        ...common,
        subject: 'manyIps',
        severity: 'critical',
        value: 25,
        threshold: 20,
        details: { signal: 'manyIps' },
      },
    ]);
  });

  it('with learningDays 0, watches the very hour the key was created in', () => {
    const zero: AlertSettings = { unusualActivity: { enabled: true, learningDays: 0 } };
    const createdMidHour = new Date('2026-11-22T10:20:00Z');
    const fanned = hour({ distinctIps: 20, lastUseBefore: null });
    expect(subjects(zero, input({ keyCreatedAt: createdMidHour, hours: [fanned] }))).toEqual(['manyIps']);
  });

  it('decides per hour: a late evaluation still sees the previous hour', () => {
    const previous = hour({ window: windowOf('hourly', new Date(now.getTime() - 3_600_000)), requests: 500 });
    const decisions = evaluateUnusual(on, input({ hours: [previous, hour()] }));
    expect(decisions.map((d) => [d.subject, d.window.start.toISOString()])).toEqual([
      ['volumeSpike', '2026-11-22T09:00:00.000Z'],
    ]);
  });
});
