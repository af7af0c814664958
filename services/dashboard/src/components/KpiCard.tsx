import { describeDelta, formatNumber, formatPercent } from '../data/format.ts';
import { type Delta, delta, successRate } from '../data/kpi.ts';

interface Props {
  label: string;
  value: string;
  delta?: Delta | undefined;
  /** Whether a rise is good news (requests), bad news (failures) or neither. */
  good?: 'up' | 'down' | 'neutral';
  kind?: 'count' | 'rate';
  /** Replaces the delta's words (for figures compared in another way). */
  note?: string | undefined;
}

/** One key figure and how it moved against the previous range, in words (not only in color). */
export function KpiCard({ label, value, delta, good = 'neutral', kind = 'count', note }: Props) {
  const trend = delta?.trend ?? 'none';
  const direction = trend === 'up' || trend === 'new' ? 'up' : trend === 'down' ? 'down' : 'flat';
  const tone = direction === 'flat' || good === 'neutral' ? 'neutral' : direction === good ? 'good' : 'bad';
  const arrow = direction === 'up' ? '▲' : direction === 'down' ? '▼' : '•';
  return (
    <li class="kpi">
      <p class="kpi-label">{label}</p>
      <p class="kpi-value">{value}</p>
      <p class={`kpi-delta tone-${tone}`}>
        {delta && (
          <span aria-hidden="true" class="kpi-arrow">
            {arrow}
          </span>
        )}{' '}
        {note ?? (delta ? describeDelta(delta, kind) : '')}
      </p>
    </li>
  );
}

interface Counts {
  requestCount: number;
  successCount: number;
  failureCount: number;
}

/** Requests, success rate and failures of a range, against the range before it (when known). */
export function UsageKpis({ now, before }: { now: Counts; before?: Counts | undefined }) {
  const rate = (c: Counts) => successRate(c.successCount, c.requestCount);
  return (
    <>
      <KpiCard
        label="Requests"
        value={formatNumber(now.requestCount)}
        delta={before ? delta(now.requestCount, before.requestCount) : undefined}
      />
      <KpiCard
        label="Success rate"
        kind="rate"
        good="up"
        value={formatPercent(rate(now))}
        delta={before ? delta(rate(now), rate(before)) : undefined}
      />
      <KpiCard
        label="Failures"
        good="down"
        value={formatNumber(now.failureCount)}
        delta={before ? delta(now.failureCount, before.failureCount) : undefined}
      />
    </>
  );
}
