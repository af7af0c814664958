/**
 * Series from the API hold one point per bucket that saw use; charts need one value per bucket of
 * the whole range, zeros included, and stacked layers for an area chart.
 */
import { BUCKET_MS } from '@keywatch/rules';
import { floorTo, type Granularity } from './range.ts';

export interface UsagePoint {
  t: string;
  total: number;
  success: number;
  failure: number;
}

export interface AlignedUsage {
  /** Bucket starts, in milliseconds. */
  t: number[];
  success: number[];
  failure: number[];
  total: number[];
}

/** Bucket starts from from's bucket up to (not including) to. */
export function bucketGrid(from: Date, to: Date, granularity: Granularity): number[] {
  const step = BUCKET_MS[granularity];
  const grid: number[] = [];
  for (let t = floorTo(from.getTime(), step); t < to.getTime(); t += step) grid.push(t);
  return grid;
}

/** One value per bucket of the range: the API's points where they are, 0 elsewhere. */
export function alignSeries(
  points: readonly UsagePoint[],
  from: Date,
  to: Date,
  g: Granularity,
): AlignedUsage {
  const t = bucketGrid(from, to, g);
  const step = BUCKET_MS[g];
  const start = t[0] ?? floorTo(from.getTime(), step);
  const success = new Array<number>(t.length).fill(0);
  const failure = new Array<number>(t.length).fill(0);
  for (const p of points) {
    const i = Math.floor((Date.parse(p.t) - start) / step);
    if (i < 0 || i >= t.length || Number.isNaN(i)) continue;
    success[i] = (success[i] ?? 0) + p.success;
    failure[i] = (failure[i] ?? 0) + p.failure;
  }
  return { t, success, failure, total: success.map((s, i) => s + (failure[i] ?? 0)) };
}

/** One value per bucket of the range for any `{ t, value }` series (e.g. distinct IPs per hour). */
export function alignValues<P extends { t: string }>(
  points: readonly P[],
  value: (p: P) => number,
  from: Date,
  to: Date,
  g: Granularity,
): { t: number[]; values: number[] } {
  const t = bucketGrid(from, to, g);
  const step = BUCKET_MS[g];
  const start = t[0] ?? 0;
  const values = new Array<number>(t.length).fill(0);
  for (const p of points) {
    const i = Math.floor((Date.parse(p.t) - start) / step);
    if (i >= 0 && i < t.length) values[i] = (values[i] ?? 0) + value(p);
  }
  return { t, values };
}

/** Cumulative layers: the n-th is the sum of layers 0..n, what a stacked area draws. */
export function stack(layers: readonly (readonly number[])[]): number[][] {
  const out: number[][] = [];
  let below: number[] | undefined;
  for (const layer of layers) {
    const summed = layer.map((v, i) => v + (below?.[i] ?? 0));
    out.push(summed);
    below = summed;
  }
  return out;
}
