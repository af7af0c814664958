import { describe, expect, it } from 'vitest';
import {
  allowedGranularities,
  fromLocalInput,
  granularityFor,
  parseRange,
  pointCount,
  previousRange,
  rangeQuery,
  resolveRange,
  toLocalInput,
} from '../src/data/range.ts';

const NOW = new Date('2026-11-29T15:42:30.000Z');
const q = (s: string) => new URLSearchParams(s);

function resolved(spec: Parameters<typeof resolveRange>[0], now = NOW) {
  const r = resolveRange(spec, now);
  if (!r.ok) throw new Error(r.error);
  return r.range;
}

describe('range → from, to, granularity', () => {
  it('maps each preset to its granularity (points stay under 2,000)', () => {
    expect(resolved({ preset: '1h' }).granularity).toBe('minute');
    expect(resolved({ preset: '24h' }).granularity).toBe('hour');
    expect(resolved({ preset: '7d' }).granularity).toBe('hour');
    expect(resolved({ preset: '30d' }).granularity).toBe('day');
    expect(resolved({ preset: '90d' }).granularity).toBe('day');
  });

  it('ends a preset at the end of the current bucket and starts one span before', () => {
    const h = resolved({ preset: '1h' });
    expect(h.to.toISOString()).toBe('2026-11-29T15:43:00.000Z');
    expect(h.from.toISOString()).toBe('2026-11-29T14:43:00.000Z');
    const d = resolved({ preset: '24h' });
    expect(d.to.toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(d.from.toISOString()).toBe('2026-11-28T16:00:00.000Z');
    const m = resolved({ preset: '30d' });
    expect(m.to.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(m.from.toISOString()).toBe('2026-10-31T00:00:00.000Z');
  });

  it('includes the current bucket when now is exactly on a boundary', () => {
    const r = resolved({ preset: '24h' }, new Date('2026-11-29T15:00:00.000Z'));
    expect(r.to.toISOString()).toBe('2026-11-29T16:00:00.000Z');
  });

  it('keeps preset ranges within 2,000 points', () => {
    for (const preset of ['1h', '24h', '7d', '30d', '90d'] as const) {
      const r = resolved({ preset });
      expect(pointCount(r.from, r.to, r.granularity)).toBeLessThanOrEqual(2000);
    }
  });

  it('takes a custom range as given and picks its granularity by span', () => {
    const r = resolved({ preset: 'custom', from: '2026-11-01T00:00:00Z', to: '2026-11-01T03:00:00Z' });
    expect(r.from.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(r.to.toISOString()).toBe('2026-11-01T03:00:00.000Z');
    expect(r.granularity).toBe('minute');
    expect(granularityFor(10 * 86_400_000)).toBe('hour');
    expect(granularityFor(20 * 86_400_000)).toBe('day');
  });

  it('keeps a granularity asked for when the range allows it, else falls back', () => {
    expect(resolved({ preset: '24h', granularity: 'minute' }).granularity).toBe('minute');
    expect(resolved({ preset: '7d', granularity: 'minute' }).granularity).toBe('hour');
    expect(resolved({ preset: '1h', granularity: 'day' }).granularity).toBe('day');
  });

  it('refuses a custom range without both ends, with bad dates or backwards', () => {
    expect(resolveRange({ preset: 'custom', from: '2026-11-01T00:00:00Z' }, NOW).ok).toBe(false);
    expect(resolveRange({ preset: 'custom', from: 'yesterday', to: '2026-11-01T00:00:00Z' }, NOW).ok).toBe(
      false,
    );
    expect(
      resolveRange({ preset: 'custom', from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }, NOW).ok,
    ).toBe(false);
  });

  it('offers only granularities that keep the chart readable', () => {
    const from = new Date('2026-11-01T00:00:00Z');
    expect(allowedGranularities(from, new Date('2026-11-02T00:00:00Z'))).toEqual(['minute', 'hour', 'day']);
    expect(allowedGranularities(from, new Date('2026-11-08T00:00:00Z'))).toEqual(['hour', 'day']);
    expect(allowedGranularities(from, new Date('2027-11-08T00:00:00Z'))).toEqual(['day']);
  });
});

describe('the previous range', () => {
  it('has the same length and ends where the range starts', () => {
    const r = resolved({ preset: '7d' });
    const p = previousRange(r);
    expect(p.to.getTime()).toBe(r.from.getTime());
    expect(p.to.getTime() - p.from.getTime()).toBe(r.to.getTime() - r.from.getTime());
    expect(p.granularity).toBe(r.granularity);
  });

  it('works for custom ranges too', () => {
    const r = resolved({ preset: 'custom', from: '2026-11-10T00:00:00Z', to: '2026-11-12T12:00:00Z' });
    const p = previousRange(r);
    expect(p.from.toISOString()).toBe('2026-11-07T12:00:00.000Z');
    expect(p.to.toISOString()).toBe('2026-11-10T00:00:00.000Z');
  });
});

describe('the range in the URL', () => {
  it('reads presets, custom ranges and granularity; unknown values fall back', () => {
    expect(parseRange(q('range=30d'), '7d')).toEqual({ preset: '30d', granularity: undefined });
    expect(parseRange(q('range=bogus&granularity=week'), '7d')).toEqual({
      preset: '7d',
      granularity: undefined,
    });
    expect(parseRange(q(''), '24h').preset).toBe('24h');
    expect(parseRange(q('from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z'), '7d')).toEqual({
      preset: 'custom',
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-02T00:00:00Z',
      granularity: undefined,
    });
    expect(parseRange(q('range=24h&granularity=minute'), '7d').granularity).toBe('minute');
  });

  it('writes what it reads', () => {
    const spec = { preset: 'custom' as const, from: 'a', to: 'b', granularity: 'hour' as const };
    expect(rangeQuery(spec)).toEqual({ range: 'custom', from: 'a', to: 'b', granularity: 'hour' });
    expect(rangeQuery({ preset: '7d' })).toEqual({
      range: '7d',
      from: undefined,
      to: undefined,
      granularity: undefined,
    });
  });

  it('round-trips datetime-local values', () => {
    const d = new Date(2026, 10, 29, 9, 5);
    expect(toLocalInput(d)).toBe('2026-11-29T09:05');
    expect(fromLocalInput('2026-11-29T09:05')?.getTime()).toBe(d.getTime());
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('29/11/2026')).toBeNull();
  });
});
