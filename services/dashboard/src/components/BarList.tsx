import { formatNumber, formatPercent } from '../data/format.ts';

export interface Bar {
  key: string;
  label: string;
  count: number;
}

/** Counts as a ranked list with bars (the bars are decoration; the numbers are the text). */
export function BarList({ items, label, empty }: { items: readonly Bar[]; label: string; empty: string }) {
  if (items.length === 0) return <p class="muted">{empty}</p>;
  const total = items.reduce((s, i) => s + i.count, 0);
  const max = Math.max(...items.map((i) => i.count), 1);
  return (
    <ol class="bar-list" aria-label={label}>
      {items.map((i) => (
        <li key={i.key}>
          <span class="bar-label">{i.label}</span>
          <span class="bar-value">
            {formatNumber(i.count)} <span class="muted">({formatPercent(i.count / total)})</span>
          </span>
          <span class="bar-track" aria-hidden="true">
            <span class="bar-fill" style={{ width: `${(i.count / max) * 100}%` }} />
          </span>
        </li>
      ))}
    </ol>
  );
}
