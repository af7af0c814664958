/**
 * Use by country on a world map (Equal Earth projection), drawn as SVG from world-atlas's 110m
 * countries, projected when the dashboard is built (build/world-shapes.ts); the shapes load on
 * first use, after the page. Countries are shaded by count in five steps; the legend says what
 * each step means. The counts are also in the table beside it.
 */
import { useId, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { countryName } from '../data/countries.ts';
import { formatNumber } from '../data/format.ts';
import { MAP_HEIGHT as HEIGHT, MAP_WIDTH as WIDTH, type MapShape } from '../data/map.ts';
import { shadeSteps } from '../data/shading.ts';
import { beginBusy } from '../hooks.ts';

/** Light to dark; the last three hold white text well, but the map has no text on it. */
export const SHADES = ['#dbeafe', '#93c5fd', '#3b82f6', '#1d4ed8', '#1e3a8a'] as const;
const NONE = '#f3f4f6';

let shapes: Promise<MapShape[]> | undefined;

/** The map's shapes, loaded once; a page calls it early so they arrive beside its data. */
export function loadShapes(): Promise<MapShape[]> {
  shapes ??= import('virtual:world-shapes').then((m) => m.default);
  return shapes;
}

export function WorldMap({
  counts,
  title,
}: {
  counts: readonly { country: string; count: number }[];
  title: string;
}) {
  const id = useId();
  const [loaded, setLoaded] = useState<MapShape[] | null>(null);
  const [failed, setFailed] = useState(false);
  // A layout effect: the page counts as loading from the moment the map is shown.
  useLayoutEffect(() => {
    let live = true;
    const done = beginBusy();
    loadShapes()
      .then(
        (s) => live && setLoaded(s),
        () => live && setFailed(true),
      )
      .finally(done);
    return () => {
      live = false;
      done();
    };
  }, []);

  const { bounds, stepOf } = shadeSteps(
    counts.map((c) => c.count),
    SHADES.length,
  );
  const top = counts
    .slice(0, 3)
    .map((c) => `${countryName(c.country)} ${formatNumber(c.count)}`)
    .join(', ');
  const summary =
    counts.length === 0 ? 'No use by country in this range.' : `${counts.length} countries; most: ${top}.`;
  // Some 180 shapes: drawn again only when the shapes or the counts change, not on every render of the page.
  const paths = useMemo(() => {
    const byCountry = new Map(counts.map((c) => [c.country.toUpperCase(), c.count]));
    return loaded?.map((s, i) => {
      const count = s.alpha2 ? (byCountry.get(s.alpha2) ?? 0) : 0;
      const step = count > 0 ? stepOf(count) : -1;
      return (
        <path
          key={`${s.name}-${i}`}
          d={s.d}
          fill={step >= 0 ? SHADES[step] : NONE}
          stroke="#6b7280"
          stroke-width={0.4}
        >
          <title>{`${s.alpha2 ? countryName(s.alpha2) : s.name}: ${formatNumber(count)}`}</title>
        </path>
      );
    });
  }, [loaded, counts]);

  if (failed) return <p class="muted">The map could not be loaded; the table lists the countries.</p>;
  return (
    <div class="world-map">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        {paths}
      </svg>
      {!loaded && <p class="muted">Loading the map…</p>}
      {bounds.length > 0 && (
        <ul class="map-legend" aria-label="Map legend">
          <li>
            <span class="swatch" style={{ background: NONE }} aria-hidden="true" /> none
          </li>
          {bounds.map((b) => (
            <li key={b.step}>
              <span class="swatch" style={{ background: SHADES[b.step] }} aria-hidden="true" />{' '}
              {b.from === b.to ? formatNumber(b.from) : `${formatNumber(b.from)}–${formatNumber(b.to)}`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
