import { describe, expect, it } from 'vitest';
import { isGracePeriod, silenceUntil } from '../src/data/alerts.ts';
import { shadeSteps } from '../src/data/shading.ts';

describe('map shading', () => {
  it('puts the smallest count in the lightest step and the largest in the darkest', () => {
    const { stepOf, bounds } = shadeSteps([1, 10, 100, 1000, 10000], 5);
    expect(stepOf(1)).toBe(0);
    expect(stepOf(10000)).toBe(4);
    expect(stepOf(0)).toBe(-1);
    expect(bounds.map((b) => b.step)).toEqual([0, 1, 2, 3, 4]);
  });

  it('has one step for one value and none for no values', () => {
    expect(shadeSteps([7, 7], 5).bounds).toEqual([{ step: 4, from: 7, to: 7 }]);
    expect(shadeSteps([0], 5).bounds).toEqual([]);
  });

  it('lists in the legend only the steps used, with their real counts', () => {
    const { bounds } = shadeSteps([1, 2, 3], 5);
    for (const b of bounds) expect(b.from).toBeLessThanOrEqual(b.to);
    expect(bounds[0]?.from).toBe(1);
    expect(bounds[bounds.length - 1]?.to).toBe(3);
  });
});

describe('alerts', () => {
  it('ends a silence after a preset or at the custom time', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    expect(silenceUntil('1h', now, null)?.toISOString()).toBe('2026-11-29T13:00:00.000Z');
    expect(silenceUntil('7d', now, null)?.toISOString()).toBe('2026-12-06T12:00:00.000Z');
    expect(silenceUntil('custom', now, null)).toBeNull();
    const at = new Date('2026-12-01T00:00:00Z');
    expect(silenceUntil('custom', now, at)).toBe(at);
  });

  it('accepts grace periods the API accepts', () => {
    expect(['0s', '24h', '7d', '30d', '90m'].every(isGracePeriod)).toBe(true);
    expect(['', '1w', '24 h', '1234567h', 'h'].some(isGracePeriod)).toBe(false);
  });
});
