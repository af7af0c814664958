import { describe, expect, it } from 'vitest';
import { type AlertDecision, notifiesResolution, resolvedAlerts, windowOf } from '../src/index.ts';

const now = new Date('2026-11-22T10:30:00Z');
const thisHour = windowOf('hourly', now);
const lastHour = windowOf('hourly', new Date('2026-11-22T09:30:00Z'));
const today = windowOf('daily', now);
const alert = (id: string, rule: string, subject: string, window = thisHour) => ({
  id,
  rule,
  subject,
  window,
});
const decided = (rule: AlertDecision['rule'], subject: string, window = thisHour): AlertDecision => ({
  rule,
  subject,
  severity: 'critical',
  window,
  value: 1,
  threshold: 1,
  details: {},
});

describe('resolvedAlerts', () => {
  it.each([
    [
      'an alert of an hour that has ended',
      [alert('a', 'highUsage', 'critical', lastHour)],
      [],
      [['a', 'window_ended']],
    ],
    ['a day still running', [alert('a', 'highUsage', 'critical', today)], [], []],
    ['highUsage in the current hour, however the counts look', [alert('a', 'highUsage', 'critical')], [], []],
    [
      'a failure rate that fell back under',
      [alert('a', 'failures', 'rate')],
      [],
      [['a', 'condition_cleared']],
    ],
    ['a failure rate still over', [alert('a', 'failures', 'rate')], [decided('failures', 'rate')], []],
    ['a failure count (counts only grow)', [alert('a', 'failures', 'count')], [], []],
    [
      'a failure rate still over in another window only',
      [alert('a', 'failures', 'rate')],
      [decided('failures', 'rate', today)],
      [['a', 'condition_cleared']],
    ],
    // Only the failures rule's rate clears early: subjects are named per rule.
    ['another rule\'s subject named "rate"', [alert('a', 'highUsage', 'rate')], [], []],
    ['a signal of the current hour', [alert('a', 'unusualActivity', 'newCountry:BR')], [], []],
    [
      'a signal of the last hour',
      [alert('a', 'unusualActivity', 'ipFanOut', lastHour)],
      [],
      [['a', 'window_ended']],
    ],
  ] as const)('%s', (_name, firing, decisions, expected) => {
    expect(resolvedAlerts(firing, decisions, now).map((r) => [r.id, r.reason])).toEqual(expected);
  });

  it('resolves at the exact end of the window, not a millisecond before', () => {
    const firing = [alert('a', 'highUsage', 'critical', lastHour)];
    expect(resolvedAlerts(firing, [], new Date('2026-11-22T09:59:59.999Z'))).toEqual([]);
    expect(resolvedAlerts(firing, [], new Date('2026-11-22T10:00:00.000Z'))).toHaveLength(1);
  });
});

describe('notifiesResolution', () => {
  it.each([
    [{ highUsage: { threshold: 1, period: 'daily', notifyResolved: true } }, 'highUsage', true],
    [{ highUsage: { threshold: 1, period: 'daily' } }, 'highUsage', false],
    [{ failures: { threshold: 1, period: 'daily', notifyResolved: true } }, 'failures', true],
    [{ failures: { threshold: 1, period: 'daily', notifyResolved: true } }, 'highUsage', false],
    [{ failures: { threshold: 1, period: 'daily' } }, 'failures', false],
    [{ failures: { threshold: 1, period: 'daily', notifyResolved: false } }, 'failures', false],
    [{ highUsage: { threshold: 1, period: 'daily', notifyResolved: true } }, 'failures', false],
    [{ highUsage: { threshold: 1, period: 'daily', notifyResolved: false } }, 'highUsage', false],
    [{}, 'highUsage', false],
    [{}, 'failures', false],
    [{ unusualActivity: true }, 'unusualActivity', false],
  ] as const)('%j, %s → %s', (settings, rule, expected) => {
    expect(notifiesResolution(settings, rule)).toBe(expected);
  });
});
