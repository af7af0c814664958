/**
 * Time ranges of the views: a preset (last hour … last 90 days) or a custom from/to, the
 * granularity of its series, and the previous range of the same length to compare against.
 * Pure: the current time is a parameter.
 */

import { BUCKET_MS, DAY_MS, GRANULARITIES, type Granularity, HOUR_MS } from '@keywatch/rules';

// The granularities the API reports in, as it validates them (each sized in BUCKET_MS).
export type { Granularity };

export const PRESETS = ['1h', '24h', '7d', '30d', '90d'] as const;
export type Preset = (typeof PRESETS)[number];

export const PRESET_MS: Record<Preset, number> = {
  '1h': HOUR_MS,
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
  '90d': 90 * DAY_MS,
};

export const PRESET_LABELS: Record<Preset, string> = {
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
};

/** Points a chart may hold; a finer granularity than this allows is not offered. */
export const MAX_POINTS = 2_000;

/** What the URL says: `range=7d`, or `range=custom&from=…&to=…` (ISO 8601), and maybe `granularity=`. */
export interface RangeSpec {
  preset: Preset | 'custom';
  from?: string | undefined;
  to?: string | undefined;
  granularity?: Granularity | undefined;
}

export interface ResolvedRange {
  preset: Preset | 'custom';
  from: Date;
  to: Date;
  granularity: Granularity;
}

export type RangeResult = { ok: true; range: ResolvedRange } | { ok: false; error: string };

const isPreset = (v: string | null): v is Preset => v !== null && (PRESETS as readonly string[]).includes(v);
const isGranularity = (v: string | null): v is Granularity =>
  v !== null && (GRANULARITIES as readonly string[]).includes(v);

/** Reads a range from a query string; anything unknown falls back to the page's default preset. */
export function parseRange(query: URLSearchParams, fallback: Preset): RangeSpec {
  const range = query.get('range');
  const from = query.get('from') ?? undefined;
  const to = query.get('to') ?? undefined;
  const g = query.get('granularity');
  const granularity = isGranularity(g) ? g : undefined;
  if (range === 'custom' || (range === null && from !== undefined && to !== undefined)) {
    return { preset: 'custom', from, to, granularity };
  }
  return { preset: isPreset(range) ? range : fallback, granularity };
}

/** The query string fields of a range (the inverse of parseRange). */
export function rangeQuery(spec: RangeSpec): Record<string, string | undefined> {
  if (spec.preset === 'custom') {
    return { range: 'custom', from: spec.from, to: spec.to, granularity: spec.granularity };
  }
  return { range: spec.preset, from: undefined, to: undefined, granularity: spec.granularity };
}

/** The default granularity of a span: minute up to 6 h, hour up to 14 days, day beyond. */
export function granularityFor(spanMs: number): Granularity {
  if (spanMs <= 6 * HOUR_MS) return 'minute';
  if (spanMs <= 14 * DAY_MS) return 'hour';
  return 'day';
}

/** Number of buckets of `granularity` between from and to (from floored to its bucket). */
export function pointCount(from: Date, to: Date, granularity: Granularity): number {
  const step = BUCKET_MS[granularity];
  const start = floorTo(from.getTime(), step);
  return Math.max(0, Math.ceil((to.getTime() - start) / step));
}

/** The granularities that keep a span's chart at most MAX_POINTS points. */
export function allowedGranularities(from: Date, to: Date): Granularity[] {
  return GRANULARITIES.filter((g) => pointCount(from, to, g) <= MAX_POINTS);
}

export const floorTo = (ms: number, step: number) => Math.floor(ms / step) * step;
export const ceilTo = (ms: number, step: number) => Math.ceil(ms / step) * step;

/**
 * A preset ends at the end of the current bucket (so the current, partial bucket is in) and
 * starts one span before: the bucket grid of the range and of the previous one line up.
 * A custom range is taken as given. A granularity asked for is kept when the range allows it.
 */
export function resolveRange(spec: RangeSpec, now: Date): RangeResult {
  let from: Date;
  let to: Date;
  if (spec.preset === 'custom') {
    if (!spec.from || !spec.to) return { ok: false, error: 'A custom range needs both from and to.' };
    from = new Date(spec.from);
    to = new Date(spec.to);
    if (Number.isNaN(from.getTime())) return { ok: false, error: `from: not a date: ${spec.from}` };
    if (Number.isNaN(to.getTime())) return { ok: false, error: `to: not a date: ${spec.to}` };
    if (from >= to) return { ok: false, error: 'from must be before to.' };
  } else {
    const span = PRESET_MS[spec.preset];
    const step = BUCKET_MS[granularityFor(span)];
    to = new Date(ceilTo(now.getTime() + 1, step));
    from = new Date(to.getTime() - span);
  }
  const allowed = allowedGranularities(from, to);
  const preferred = granularityFor(to.getTime() - from.getTime());
  const granularity =
    spec.granularity && allowed.includes(spec.granularity)
      ? spec.granularity
      : allowed.includes(preferred)
        ? preferred
        : 'day';
  return { ok: true, range: { preset: spec.preset, from, to, granularity } };
}

/** The range of the same length just before, at the same granularity. */
export function previousRange(range: ResolvedRange): ResolvedRange {
  const span = range.to.getTime() - range.from.getTime();
  return { ...range, from: new Date(range.from.getTime() - span), to: new Date(range.from.getTime()) };
}

/** How a range reads in a heading: "Last 7 days" or "2026-11-01 09:00 – 2026-11-02 09:00". */
export function describeRange(range: ResolvedRange, format: (d: Date) => string): string {
  if (range.preset !== 'custom') return PRESET_LABELS[range.preset];
  return `${format(range.from)} – ${format(range.to)}`;
}

/** A `datetime-local` input's value for a date, in local time (minutes). */
export function toLocalInput(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}`;
}

/** A `datetime-local` input's value as a date (local time), or null when empty or invalid. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}
