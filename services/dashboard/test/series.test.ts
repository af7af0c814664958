import { describe, expect, it } from 'vitest';
import { alignSeries, alignValues, bucketGrid, stack } from '../src/data/series.ts';

const from = new Date('2026-11-29T10:00:00.000Z');
const to = new Date('2026-11-29T14:00:00.000Z');

describe('series alignment', () => {
  it('makes one bucket per step from the floored start, to excluded', () => {
    expect(
      bucketGrid(new Date('2026-11-29T10:20:00Z'), to, 'hour').map((t) => new Date(t).toISOString()),
    ).toEqual([
      '2026-11-29T10:00:00.000Z',
      '2026-11-29T11:00:00.000Z',
      '2026-11-29T12:00:00.000Z',
      '2026-11-29T13:00:00.000Z',
    ]);
    expect(bucketGrid(from, from, 'hour')).toEqual([]);
  });

  it('fills buckets without use with zeros and keeps points where they are', () => {
    const a = alignSeries(
      [
        { t: '2026-11-29T11:00:00.000Z', total: 10, success: 8, failure: 2 },
        { t: '2026-11-29T13:00:00.000Z', total: 5, success: 5, failure: 0 },
      ],
      from,
      to,
      'hour',
    );
    expect(a.success).toEqual([0, 8, 0, 5]);
    expect(a.failure).toEqual([0, 2, 0, 0]);
    expect(a.total).toEqual([0, 10, 0, 5]);
  });

  it('ignores points outside the range and sums points in one bucket', () => {
    const a = alignSeries(
      [
        { t: '2026-11-29T09:00:00.000Z', total: 99, success: 99, failure: 0 },
        { t: '2026-11-29T14:00:00.000Z', total: 99, success: 99, failure: 0 },
        { t: '2026-11-29T12:00:00.000Z', total: 1, success: 1, failure: 0 },
        { t: '2026-11-29T12:30:00.000Z', total: 1, success: 0, failure: 1 },
      ],
      from,
      to,
      'hour',
    );
    expect(a.total).toEqual([0, 0, 2, 0]);
  });

  it('aligns day buckets on UTC midnight', () => {
    const a = alignSeries(
      [{ t: '2026-11-28T00:00:00.000Z', total: 3, success: 3, failure: 0 }],
      new Date('2026-11-27T00:00:00Z'),
      new Date('2026-11-30T00:00:00Z'),
      'day',
    );
    expect(a.t.map((t) => new Date(t).toISOString().slice(0, 10))).toEqual([
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
    ]);
    expect(a.success).toEqual([0, 3, 0]);
  });

  it('aligns any { t, value } series', () => {
    const a = alignValues([{ t: '2026-11-29T12:00:00.000Z', n: 4 }], (p) => p.n, from, to, 'hour');
    expect(a.values).toEqual([0, 0, 4, 0]);
  });
});

describe('stacking', () => {
  it('makes each layer the sum of those below it', () => {
    expect(
      stack([
        [1, 2, 3],
        [10, 0, 5],
        [100, 100, 0],
      ]),
    ).toEqual([
      [1, 2, 3],
      [11, 2, 8],
      [111, 102, 8],
    ]);
    expect(stack([])).toEqual([]);
  });
});
