/** What the overview and a key's page both show of a usage report: outcomes over time, failure reasons. */
import { failureReasons } from '../data/failures.ts';
import type { ResolvedRange } from '../data/range.ts';
import { alignSeries } from '../data/series.ts';
import { COLORS } from '../theme.ts';
import { BarList } from './BarList.tsx';
import { Chart } from './Chart.tsx';

type Point = { t: string; total: number; success: number; failure: number };

/** Successes under failures, stacked, one point per bucket of the range (empty buckets as zero). */
export function OutcomeChart({
  title,
  series,
  range,
  onZoom,
}: {
  title: string;
  series: readonly Point[];
  range: ResolvedRange;
  onZoom?: (span: { from: Date; to: Date } | null) => void;
}) {
  const aligned = alignSeries(series, range.from, range.to, range.granularity);
  return (
    <Chart
      title={title}
      x={aligned.t}
      series={[
        { label: 'Success', values: aligned.success, color: COLORS.success },
        { label: 'Failure', values: aligned.failure, color: COLORS.failure },
      ]}
      stacked
      granularity={range.granularity}
      onZoom={onZoom}
    />
  );
}

/** Failed verifications by reason, most frequent first. */
export function FailureReasons({ byCode }: { byCode: Readonly<Record<string, number | undefined>> }) {
  return (
    <BarList
      label="Failure reasons, most frequent first"
      items={failureReasons(byCode).map((r) => ({ key: r.code, label: r.label, count: r.count }))}
      empty="No failed verifications in this range."
    />
  );
}
