/**
 * A time series chart (uPlot): lines, or stacked areas (e.g. successes under failures). Drag
 * across it to zoom in, double-click to zoom back out. The canvas is hidden from assistive
 * technology; the same numbers are in a table under it (the text alternative).
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { formatDateTime, formatNumber } from '../data/format.ts';
import type { Granularity } from '../data/range.ts';
import { stack } from '../data/series.ts';

export interface ChartSeries {
  label: string;
  values: readonly number[];
  /** A color with at least 3:1 contrast on white. */
  color: string;
}

interface Props {
  /** The figure's caption, also the table's. */
  title: string;
  /** Bucket starts in milliseconds. */
  x: readonly number[];
  series: readonly ChartSeries[];
  stacked?: boolean;
  granularity: Granularity;
  height?: number;
  /** Called with the zoomed span, or null when zoomed back out. */
  onZoom?: ((span: { from: Date; to: Date } | null) => void) | undefined;
}

const fill = (color: string) => `${color}40`;

/** What the chart draws, as a short string: the chart is rebuilt only when this changes. */
function signature(x: readonly number[], series: readonly ChartSeries[], stacked: boolean, height: number) {
  const sums = series.map(
    (s) => `${s.label}:${s.color}:${s.values.length}:${s.values.reduce((a, v, i) => a + v * (i + 1), 0)}`,
  );
  return `${x.length}:${x[0] ?? ''}:${x[x.length - 1] ?? ''}|${sums.join('|')}|${stacked}|${height}`;
}

/**
 * uPlot loads beside the page's data, not before it: the page asks for its data without waiting
 * for the chart's code, and the code is read while the answers travel. Its styles come with the
 * app's (styles.css), so that nothing the first screen runs imports it.
 */
export const loadUplot = () => import('uplot').then((m) => m.default);

export function Chart({ title, x, series, stacked, granularity, height = 260, onZoom }: Props) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const onZoomRef = useRef(onZoom);
  onZoomRef.current = onZoom;
  const [tableOpen, setTableOpen] = useState(false);
  const latest = useRef({ x, series });
  latest.current = { x, series };
  const sig = signature(x, series, stacked === true, height);

  // Rebuilt when what it draws changes (not on every render of the page, which would lose the zoom).
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const { x, series } = latest.current;
    const raw = series.map((s) => s.values);
    const layers = stacked ? stack(raw) : raw.map((v) => [...v]);
    const data: uPlot.AlignedData = [x.map((t) => t / 1000), ...layers];
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 280),
      height,
      legend: { live: true },
      cursor: { drag: { x: true, y: false, setScale: true }, points: { size: 6 } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        { stroke: '#374151', grid: { stroke: '#e5e7eb', width: 1 }, ticks: { stroke: '#d1d5db' } },
        {
          stroke: '#374151',
          grid: { stroke: '#e5e7eb', width: 1 },
          ticks: { stroke: '#d1d5db' },
          size: 56,
          values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? formatNumber(v) : '')),
        },
      ],
      series: [
        { label: 'Time', value: (_u, v) => (v === null ? '—' : formatDateTime(new Date(v * 1000))) },
        ...series.map(
          (s, si): uPlot.Series => ({
            label: s.label,
            stroke: s.color,
            width: 1.5,
            fill: stacked ? fill(s.color) : undefined,
            points: { show: x.length <= 60 },
            // The legend shows each series' own value, not the stacked sum.
            value: (_u, _v, _sidx, idx) => (idx === null ? '—' : formatNumber(raw[si]?.[idx] ?? 0)),
          }),
        ),
      ],
      bands: stacked
        ? series.slice(1).map((s, i) => ({ series: [i + 2, i + 1] as [number, number], fill: fill(s.color) }))
        : [],
      hooks: {
        setScale: [
          (u, key) => {
            if (key !== 'x' || !onZoomRef.current) return;
            const min = u.scales.x?.min;
            const max = u.scales.x?.max;
            const first = x[0];
            const last = x[x.length - 1];
            if (min === undefined || max === undefined || first === undefined || last === undefined) return;
            const full = min <= first / 1000 && max >= last / 1000;
            onZoomRef.current(full ? null : { from: new Date(min * 1000), to: new Date(max * 1000) });
          },
        ],
      },
    };
    let chart: uPlot | undefined;
    let resize: ResizeObserver | undefined;
    let gone = false;
    void loadUplot().then((UPlot) => {
      if (gone) return;
      const drawn = new UPlot(opts, data, el);
      chart = drawn;
      resize = new ResizeObserver(() => drawn.setSize({ width: Math.max(el.clientWidth, 280), height }));
      resize.observe(el);
    });
    return () => {
      gone = true;
      resize?.disconnect();
      chart?.destroy();
    };
  }, [sig]);

  const timeLabel =
    granularity === 'day' ? 'Day (start)' : granularity === 'hour' ? 'Hour (start)' : 'Minute';
  return (
    <figure class="chart" aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`} class="chart-caption">
        {title}
        <span class="muted"> · drag to zoom, double-click to reset</span>
      </figcaption>
      <div ref={box} class="chart-canvas" aria-hidden="true" />
      <details class="chart-data" onToggle={(e) => setTableOpen(e.currentTarget.open)}>
        <summary>Show the data as a table</summary>
        {tableOpen && (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard.
          <section class="table-wrap table-scroll" aria-label={`${title}: data`} tabIndex={0}>
            <table>
              <caption class="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{timeLabel}</th>
                  {series.map((s) => (
                    <th scope="col" class="num" key={s.label}>
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {x.map((t, i) => (
                  <tr key={t}>
                    <th scope="row">{formatDateTime(new Date(t))}</th>
                    {series.map((s) => (
                      <td class="num" key={s.label}>
                        {formatNumber(s.values[i] ?? 0)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </details>
    </figure>
  );
}
