import { describe, expect, it } from 'vitest';
import { describeDelta, formatPercent } from '../src/data/format.ts';
import { countInRange, delta, successRate } from '../src/data/kpi.ts';

describe('success rate', () => {
  it('is successes over requests, and unknown without requests', () => {
    expect(successRate(95, 100)).toBe(0.95);
    expect(successRate(0, 10)).toBe(0);
    expect(successRate(0, 0)).toBeNull();
  });
});

describe('deltas against the previous range', () => {
  it('gives the difference and the ratio', () => {
    expect(delta(150, 100)).toEqual({ current: 150, previous: 100, diff: 50, ratio: 0.5, trend: 'up' });
    expect(delta(50, 100)).toMatchObject({ diff: -50, ratio: -0.5, trend: 'down' });
    expect(delta(100, 100)).toMatchObject({ diff: 0, ratio: 0, trend: 'same' });
  });

  it('has no ratio from a zero baseline: something from nothing is "new"', () => {
    expect(delta(5, 0)).toEqual({ current: 5, previous: 0, diff: 5, ratio: null, trend: 'new' });
    expect(delta(0, 0)).toMatchObject({ diff: 0, ratio: null, trend: 'same' });
  });

  it('has no comparison when either side is unknown (e.g. a rate without requests)', () => {
    expect(delta(null, 0.9)).toMatchObject({ diff: null, ratio: null, trend: 'none' });
    expect(delta(0.9, null)).toMatchObject({ trend: 'none' });
  });

  it('reads in words, rates in percentage points', () => {
    expect(describeDelta(delta(150, 100))).toBe('up 50.0% from 100');
    expect(describeDelta(delta(0, 4))).toBe('down 100.0% from 4');
    expect(describeDelta(delta(5, 0))).toBe('new: 0 before');
    expect(describeDelta(delta(0, 0))).toBe('no change from 0');
    expect(describeDelta(delta(null, 1))).toBe('no comparison');
    expect(describeDelta(delta(0.95, 0.9), 'rate')).toBe('up 5.0 pts from 90.0%');
    expect(describeDelta(delta(0.9351, 0.935), 'rate')).toBe('up <0.1 pts from 93.5%');
  });
});

describe('figures', () => {
  it('counts items in [from, to), skipping those without a time', () => {
    const items = [
      { at: '2026-11-01T00:00:00Z' },
      { at: '2026-11-02T00:00:00Z' },
      { at: null },
      { at: '2026-10-31T23:59:59Z' },
    ];
    expect(
      countInRange(items, (i) => i.at, new Date('2026-11-01T00:00:00Z'), new Date('2026-11-02T00:00:00Z')),
    ).toBe(1);
  });

  it('never shows an imperfect rate as 100% or a non-zero one as 0%', () => {
    expect(formatPercent(0.99999)).toBe('>99.9%');
    expect(formatPercent(0.00001)).toBe('<0.1%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(null)).toBe('—');
  });
});
