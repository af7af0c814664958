import { type AuthEvent, encodeAuthEvent, newAuthEvent } from '@keywatch/events';
import { BASELINE_DAYS, DAY_MS, HOUR_MS, MINUTE_MS } from '@keywatch/rules';
import { describe, expect, it } from 'vitest';
import { Backtest, type BacktestAlert, type BacktestKey } from '../src/index.ts';

const ORG = '00000000-0000-4000-8000-00000000000a';
const KEY = '00000000-0000-4000-8000-000000000001';
const start = Date.parse('2026-11-02T00:00:00Z');

const use = (at: number, over: Partial<AuthEvent> = {}): AuthEvent =>
  newAuthEvent({
    at: new Date(at),
    keyId: KEY,
    orgId: ORG,
    keyPrefix: 'sk_live_AbCd',
    code: 'VALID',
    scope: null,
    method: 'GET',
    path: '/v1/chat',
    ip: '192.0.2.1',
    country: 'GB',
    userAgent: 'test',
    latencyMs: 1,
    ...over,
  });

function run(
  events: Iterable<AuthEvent>,
  keys: BacktestKey[] = [],
  options: { from?: Date; to?: Date } = {},
) {
  const backtest = new Backtest({ keys, ...options });
  const alerts: BacktestAlert[] = [];
  for (const event of events) alerts.push(...backtest.push(event));
  alerts.push(...backtest.end());
  return { alerts, summary: backtest.summary(), backtest };
}

/** Ten requests an hour, one every six minutes, from GB, for `days` days from `start`. */
function* steadyDays(days: number, from = start) {
  for (let at = from; at < from + days * DAY_MS; at += 6 * MINUTE_MS) yield use(at);
}

const thresholdKey = (alerts: BacktestKey['alerts']): BacktestKey => ({
  id: KEY,
  orgId: ORG,
  createdAt: new Date(start - 30 * DAY_MS),
  alerts,
});

describe('Backtest', () => {
  it('fires a threshold once per window, at the minute it was crossed, warning first', () => {
    const key = thresholdKey({ highUsage: { threshold: 5, period: 'hourly' } });
    const events = Array.from({ length: 8 }, (_, i) => use(start + i * MINUTE_MS));
    const { alerts, summary } = run(events, [key]);
    expect(alerts.map((a) => [a.rule, a.subject, a.value, a.firedAt])).toEqual([
      ['highUsage', 'warning', 4, new Date(start + 3 * MINUTE_MS).toISOString()],
      ['highUsage', 'critical', 5, new Date(start + 4 * MINUTE_MS).toISOString()],
    ]);
    expect(alerts[1]).toMatchObject({
      keyId: KEY,
      severity: 'critical',
      state: 'firing',
      window: {
        period: 'hourly',
        start: new Date(start).toISOString(),
        end: new Date(start + HOUR_MS).toISOString(),
      },
      resolvedAt: null,
    });
    expect(summary).toMatchObject({ events: 8, keys: 1, alerts: 2, byRule: { highUsage: 2 }, malformed: 0 });
  });

  it('learns a key’s habits and flags what strays from them, explained', () => {
    const key = thresholdKey({ unusualActivity: true });
    const leak = start + 14 * DAY_MS + 30 * MINUTE_MS;
    const events = [...steadyDays(14), use(leak, { country: 'RU', ip: '203.0.113.9' })];
    const { alerts } = run(events, [key]);
    expect(alerts.map((a) => [a.subject, a.firedAt])).toEqual([
      ['newCountry:RU', new Date(leak).toISOString()],
    ]);
    expect(alerts[0]!.details).toMatchObject({ usual: { countries: ['GB'] }, seen: { country: 'RU' } });
  });

  it('takes a key missing from --keys as created at its first event, learning for a week', () => {
    const events = [...steadyDays(3), use(start + 3 * DAY_MS, { country: 'RU' })];
    expect(run(events).alerts).toEqual([]);
    const later = [...steadyDays(9), use(start + 9 * DAY_MS, { country: 'RU' })];
    expect(run(later).alerts.map((a) => a.subject)).toEqual(['newCountry:RU']);
  });

  it('flags credential stuffing from one source, once in its hour', () => {
    const guesses = Array.from({ length: 120 }, (_, i) =>
      use(start + i * 5_000, {
        keyId: null,
        orgId: null,
        keyPrefix: null,
        code: 'INVALID_API_KEY',
        ip: '198.51.100.7',
      }),
    );
    const { alerts } = run(guesses);
    // Twelve a minute: decided as the fifth minute has passed, as an alerter would after that batch.
    expect(alerts.map((a) => [a.keyId, a.subject, a.value, a.firedAt])).toEqual([
      [null, 'credentialStuffing:198.51.100.7', 60, new Date(start + 59 * 5_000).toISOString()],
    ]);
  });

  it('drops events a producer sent again, as the aggregator does', () => {
    const key = thresholdKey({ highUsage: { threshold: 5, period: 'hourly', warnAt: null } });
    const sent = Array.from({ length: 4 }, (_, i) => ({
      ...use(start + i * MINUTE_MS),
      producerId: 'p1',
      seq: i,
    }));
    const { alerts, summary } = run(
      [...sent, ...sent.map((e) => ({ ...e, ts: new Date(start + 10 * MINUTE_MS).toISOString() }))],
      [key],
    );
    expect(alerts).toEqual([]);
    expect(summary.events).toBe(8);
  });

  it('takes an event a producer numbered before one already seen as new, unless it is that one again', () => {
    const key = thresholdKey({ highUsage: { threshold: 3, period: 'hourly', warnAt: null } });
    // Concurrent requests: stamped in one order, numbered in the other.
    const stamped = [2, 1, 0].map((seq, i) => ({ ...use(start + i), producerId: 'p1', seq }));
    expect(run(stamped, [key]).alerts.map((a) => a.value)).toEqual([3]);
    expect(run([...stamped.slice(0, 2), stamped[0]!, stamped[1]!], [key]).alerts).toEqual([]);
  });

  it('falls back on the org’s settings for a key without its own, and on unusualActivity for an unknown org', () => {
    const quiet = { ...thresholdKey(null), createdAt: new Date(start - 30 * DAY_MS) };
    const events = [...steadyDays(14), use(start + 14 * DAY_MS, { country: 'RU' })];
    const orgOff = new Backtest({ keys: [quiet], orgSettings: new Map([[ORG, { unusualActivity: false }]]) });
    const fired = [...events.flatMap((e) => orgOff.push(e)), ...orgOff.end()];
    expect(fired).toEqual([]);
    expect(run(events, [quiet]).alerts.map((a) => a.subject)).toEqual(['newCountry:RU']);
  });

  it('answers only alerts firing in [from, to), history before from building the baselines', () => {
    const key = thresholdKey({ highUsage: { threshold: 5, period: 'hourly', warnAt: null } });
    const hourOf = (h: number) =>
      Array.from({ length: 5 }, (_, i) => use(start + h * HOUR_MS + i * MINUTE_MS));
    const events = [...hourOf(0), ...hourOf(1), ...hourOf(2)];
    const window = (a: BacktestAlert) => a.window.start;
    const { alerts } = run(events, [key], {
      from: new Date(start + HOUR_MS),
      to: new Date(start + 2 * HOUR_MS),
    });
    expect(alerts.map(window)).toEqual([new Date(start + HOUR_MS).toISOString()]);
  });

  it('counts a line that is not an AuthEvent and goes on', () => {
    const backtest = new Backtest({
      keys: [thresholdKey({ highUsage: { threshold: 1, period: 'hourly' } })],
    });
    expect(backtest.pushLine('{"not":"an event"}')).toEqual([]);
    expect(backtest.pushLine('garbage')).toEqual([]);
    backtest.pushLine(encodeAuthEvent(use(start)));
    expect(backtest.end().map((a) => a.subject)).toEqual(['critical']);
    expect(backtest.summary()).toMatchObject({ events: 1, malformed: 2, alerts: 1 });
  });

  it('keeps memory bounded by the baselines’ weeks, however long the input', () => {
    const hourly = Array.from({ length: 60 * 24 }, (_, h) => use(start + h * HOUR_MS));
    const { backtest } = run(hourly, [thresholdKey({ unusualActivity: true })]);
    const hours = [...backtest.usage.keys.get(KEY)!.heldHours()].length;
    expect(hours).toBeLessThanOrEqual((BASELINE_DAYS + 2) * 24);
    expect(hours).toBeGreaterThanOrEqual(BASELINE_DAYS * 24);
  });
});
