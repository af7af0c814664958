/** Shading a map by count: steps on a log scale (counts per country span orders of magnitude). */

export interface ShadeBin {
  /** The shade's index (0 lightest). */
  step: number;
  /** Smallest and largest count that got this shade. */
  from: number;
  to: number;
}

/**
 * The shade index (0..steps-1) of each positive count, on a log scale from the smallest to the
 * largest count, and the bins that hold any count (for the legend).
 */
export function shadeSteps(
  values: readonly number[],
  steps: number,
): { bounds: ShadeBin[]; stepOf: (v: number) => number } {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return { bounds: [], stepOf: () => -1 };
  const min = Math.min(...positive);
  const max = Math.max(...positive);
  const lo = Math.log(min);
  const span = Math.log(max) - lo;
  const stepOf = (v: number) => {
    if (v <= 0) return -1;
    if (span === 0) return steps - 1;
    const s = Math.floor(((Math.log(v) - lo) / span) * steps);
    return Math.min(steps - 1, Math.max(0, s));
  };
  const bins = new Map<number, ShadeBin>();
  for (const v of positive) {
    const step = stepOf(v);
    const bin = bins.get(step);
    if (!bin) bins.set(step, { step, from: v, to: v });
    else {
      bin.from = Math.min(bin.from, v);
      bin.to = Math.max(bin.to, v);
    }
  }
  return { bounds: [...bins.values()].sort((a, b) => a.step - b.step), stepOf };
}
