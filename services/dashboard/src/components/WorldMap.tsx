/**
 * Use by country on a world map (Equal Earth projection), drawn as SVG from world-atlas's 110m
 * countries (bundled; the shapes and the projection code load on first use, after the page). Countries are shaded by count in five steps; the
 * legend says what each step means. The counts are also in the table beside it.
 */
import type { GeoPermissibleObjects } from 'd3-geo';
import { useEffect, useId, useState } from 'preact/hooks';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { alpha2OfShape, countryName } from '../data/countries.ts';
import { formatNumber } from '../data/format.ts';
import { shadeSteps } from '../data/shading.ts';
import { beginBusy } from '../hooks.ts';

interface Shape {
  alpha2: string | undefined;
  name: string;
  d: string;
}

const WIDTH = 960;
const HEIGHT = 440;
/** Light to dark; the last three hold white text well, but the map has no text on it. */
export const SHADES = ['#dbeafe', '#93c5fd', '#3b82f6', '#1d4ed8', '#1e3a8a'] as const;
const NONE = '#f3f4f6';

let shapes: Promise<Shape[]> | undefined;

/** The map's shapes, loaded once; a page calls it early so the map's code arrives beside its data. */
export function loadShapes(): Promise<Shape[]> {
  shapes ??= Promise.all([
    import('world-atlas/countries-110m.json'),
    import('d3-geo'),
    import('topojson-client'),
  ]).then(([mod, { geoEqualEarth, geoPath }, { feature }]) => {
    const topology = (mod.default ?? mod) as unknown as Topology<{
      countries: GeometryCollection<{ name: string }>;
    }>;
    const countries = feature(topology, topology.objects.countries);
    // Antarctica takes much room and no traffic.
    const features = countries.features.filter((f) => f.id !== '010');
    const projection = geoEqualEarth().fitSize([WIDTH, HEIGHT], {
      type: 'FeatureCollection',
      features,
    } as GeoPermissibleObjects);
    const path = geoPath(projection);
    return features.map((f) => ({
      alpha2: alpha2OfShape(f.id, f.properties?.name),
      name: f.properties?.name ?? '',
      d: path(f as GeoPermissibleObjects) ?? '',
    }));
  });
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
  const [loaded, setLoaded] = useState<Shape[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
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

  const byCountry = new Map(counts.map((c) => [c.country.toUpperCase(), c.count]));
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
        {loaded?.map((s, i) => {
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
        })}
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
