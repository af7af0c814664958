/** Key figures of a range, and how they moved against the previous range. */

/** Successes over requests, or null without requests (no rate to speak of). */
export function successRate(success: number, total: number): number | null {
  return total > 0 ? success / total : null;
}

export type Trend = 'up' | 'down' | 'same' | 'new' | 'none';

export interface Delta {
  current: number | null;
  previous: number | null;
  /** current − previous; null when either is unknown. */
  diff: number | null;
  /** diff / previous; null when the previous is 0 or unknown (no baseline to divide by). */
  ratio: number | null;
  /** new: something where there was nothing before; none: nothing to compare. */
  trend: Trend;
}

export function delta(current: number | null, previous: number | null): Delta {
  if (current === null || previous === null) {
    return { current, previous, diff: null, ratio: null, trend: 'none' };
  }
  const diff = current - previous;
  if (previous === 0) {
    return { current, previous, diff, ratio: null, trend: current === 0 ? 'same' : 'new' };
  }
  return {
    current,
    previous,
    diff,
    ratio: diff / previous,
    trend: diff > 0 ? 'up' : diff < 0 ? 'down' : 'same',
  };
}

/** Items whose time falls in [from, to). */
export function countInRange<T>(items: readonly T[], time: (item: T) => string | null, from: Date, to: Date) {
  let n = 0;
  for (const item of items) {
    const at = time(item);
    if (at === null) continue;
    const ms = Date.parse(at);
    if (ms >= from.getTime() && ms < to.getTime()) n++;
  }
  return n;
}
