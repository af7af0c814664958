/** Numbers, rates, times and deltas in words for people (English, the browser's time zone). */
import { DAY_MS, HOUR_MS, MINUTE_MS } from '@keywatch/rules';
import type { Delta } from './kpi.ts';

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

export const formatNumber = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : integer.format(n);

export const formatCompact = (n: number) => (Math.abs(n) < 10_000 ? integer.format(n) : compact.format(n));

/** A rate in 0..1 as a percentage with up to one decimal ("99.5%"); "—" when unknown. */
export function formatPercent(rate: number | null | undefined, digits = 1): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—';
  const pct = rate * 100;
  const fixed = pct.toFixed(digits);
  // Never round a rate that is not quite 100% (or not quite 0%) to 100% (0%).
  if (fixed === (100).toFixed(digits) && rate < 1) return `>${(100 - 10 ** -digits).toFixed(digits)}%`;
  if (fixed === (0).toFixed(digits) && rate > 0) return `<${(10 ** -digits).toFixed(digits)}%`;
  return `${fixed}%`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-29 15:42" in local time; "—" for null. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "2026-11-29" in local time. */
export function formatDate(value: string | Date | null | undefined): string {
  return formatDateTime(value).slice(0, 10);
}

/** "just now", "5 min ago", "3 h ago", "12 d ago"; "in 2 h" for the future; "never" for null. */
export function formatRelative(value: string | null | undefined, now: Date): string {
  if (!value) return 'never';
  const ms = now.getTime() - Date.parse(value);
  if (Number.isNaN(ms)) return '—';
  const abs = Math.abs(ms);
  const text =
    abs < MINUTE_MS
      ? null
      : abs < HOUR_MS
        ? `${Math.floor(abs / MINUTE_MS)} min`
        : abs < DAY_MS
          ? `${Math.floor(abs / HOUR_MS)} h`
          : `${Math.floor(abs / DAY_MS)} d`;
  if (text === null) return 'just now';
  return ms >= 0 ? `${text} ago` : `in ${text}`;
}

/** Whole days between a time and now. */
export const ageInDays = (since: string, now: Date) =>
  Math.floor((now.getTime() - Date.parse(since)) / DAY_MS);

/** A KPI's change in words, e.g. "up 12.5% from 1,000", "new (0 before)", "no change". */
export function describeDelta(d: Delta, kind: 'count' | 'rate' = 'count'): string {
  const show = (v: number) => (kind === 'rate' ? formatPercent(v) : formatNumber(v));
  switch (d.trend) {
    case 'none':
      return 'no comparison';
    case 'same':
      return `no change from ${show(d.previous ?? 0)}`;
    case 'new':
      return `new: ${show(d.previous ?? 0)} before`;
  }
  const dir = d.trend === 'up' ? 'up' : 'down';
  if (kind === 'rate') {
    const points = Math.abs((d.diff ?? 0) * 100);
    return `${dir} ${points < 0.05 ? '<0.1' : points.toFixed(1)} pts from ${show(d.previous ?? 0)}`;
  }
  const pct = d.ratio === null ? '' : ` ${formatPercent(Math.abs(d.ratio))}`;
  return `${dir}${pct} from ${show(d.previous ?? 0)}`;
}
