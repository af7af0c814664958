/**
 * The world map's shapes, projected when the dashboard is built rather than in every browser:
 * world-atlas's 110m countries through an Equal Earth projection into SVG paths (one decimal,
 * which is a tenth of a pixel at the map's size). The browser then loads a list of paths and
 * draws them, with no projection code and no geometry work on the page.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoEqualEarth, type GeoPermissibleObjects, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Plugin } from 'vite';
import { alpha2OfShape } from '../src/data/countries.ts';
import { MAP_HEIGHT, MAP_WIDTH, type MapShape } from '../src/data/map.ts';

/** Antarctica takes much room and no traffic. */
const LEFT_OUT = new Set(['010']);

/** The countries' shapes with the absolute paths d3-geo writes (worldShapes ships them relative). */
export function projectedCountries(): MapShape[] {
  const require = createRequire(import.meta.url);
  const topology = JSON.parse(
    readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8'),
  ) as Topology<{
    countries: GeometryCollection<{ name: string }>;
  }>;
  const features = feature(topology, topology.objects.countries).features.filter(
    (f) => !LEFT_OUT.has(String(f.id)),
  );
  const projection = geoEqualEarth().fitSize([MAP_WIDTH, MAP_HEIGHT], {
    type: 'FeatureCollection',
    features,
  } as GeoPermissibleObjects);
  const path = geoPath(projection);
  return features.map((f) => ({
    alpha2: alpha2OfShape(f.id, f.properties?.name) ?? null,
    name: f.properties?.name ?? '',
    d: path(f as GeoPermissibleObjects) ?? '',
  }));
}

export const worldShapes = (): MapShape[] =>
  projectedCountries().map((shape) => ({ ...shape, d: relativePath(shape.d) }));

/**
 * An absolute path of moves, lines and closes (what geoPath writes) as relative steps between
 * points rounded to a tenth: the same drawing in about half the bytes. The steps are taken between
 * rounded points, so rounding never accumulates along a border.
 */
export function relativePath(d: string): string {
  const tenths = (v: string) => Math.round(Number(v) * 10);
  const num = (t: number) => {
    const text = (t / 10).toString();
    return text.startsWith('0.') ? text.slice(1) : text.startsWith('-0.') ? `-${text.slice(2)}` : text;
  };
  let out = '';
  let x = 0;
  let y = 0;
  let start = [0, 0];
  let last = '';
  for (const [, command, args] of d.matchAll(/([MLZ])([^MLZ]*)/g)) {
    if (command === 'Z') {
      // Closing returns the pen to where the subpath began.
      out += 'z';
      [x, y] = start as [number, number];
      last = 'z';
      continue;
    }
    const [px, py] = args!.split(',').map(tenths) as [number, number];
    const step = command === 'M' ? 'm' : 'l';
    const dx = num(px - x);
    const dy = num(py - y);
    // Pairs after a move are lines, and a command repeats implicitly; no separator before a minus.
    const implicit = step === 'l' && (last === 'l' || last === 'm');
    out += `${implicit ? (dx.startsWith('-') ? '' : ' ') : step}${dx}${dy.startsWith('-') ? '' : ' '}${dy}`;
    if (step === 'm') start = [px, py];
    last = step;
    x = px;
    y = py;
  }
  return out;
}

const ID = 'virtual:world-shapes';

/**
 * `import shapes from 'virtual:world-shapes'`: the projected shapes, made at build time. Shipped as
 * `JSON.parse` of a string, which V8 reads several times faster than the same object literal.
 */
export function worldShapesPlugin(): Plugin {
  return {
    name: 'keywatch-world-shapes',
    resolveId: (id) => (id === ID ? `\0${ID}` : undefined),
    load: (id) =>
      id === `\0${ID}`
        ? `export default JSON.parse(${JSON.stringify(JSON.stringify(worldShapes()))});`
        : undefined,
  };
}
