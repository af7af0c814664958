import { describe, expect, it } from 'vitest';
import { projectedCountries, relativePath, worldShapes } from '../build/world-shapes.ts';

/** The points a path of relative moves, lines and closes visits, walked as an SVG renderer reads it. */
function walk(d: string): [number, number][] {
  const points: [number, number][] = [];
  let [x, y] = [0, 0];
  let start: [number, number] = [0, 0];
  let command = '';
  let half: number | null = null;
  for (const token of d.match(/[mlz]|-?(?:\d+\.?\d*|\.\d+)/g) ?? []) {
    if (/[mlz]/.test(token)) {
      command = token;
      if (token === 'z') [x, y] = start;
      continue;
    }
    if (half === null) {
      half = Number(token);
      continue;
    }
    x += half;
    y += Number(token);
    half = null;
    if (command === 'm') {
      start = [x, y];
      command = 'l';
    }
    points.push([x, y]);
  }
  return points;
}

/** The points of an absolute path as d3-geo writes it (M, L and Z). */
const points = (d: string) =>
  [...d.matchAll(/[ML]([^MLZ]+)/g)].map((m) => m[1]!.split(',').map(Number) as [number, number]);

function expectSameDrawing(relative: string, absolute: string) {
  const got = walk(relative);
  const want = points(absolute);
  expect(got).toHaveLength(want.length);
  got.forEach(([x, y], i) => {
    expect(Math.abs(x - want[i]![0])).toBeLessThanOrEqual(0.05 + 1e-6);
    expect(Math.abs(y - want[i]![1])).toBeLessThanOrEqual(0.05 + 1e-6);
  });
}

describe('the world map, projected at build time', () => {
  it.each([
    ['a triangle', 'M10,10L20,10L15,20Z'],
    [
      'a second ring after a close (which returns the pen to the ring’s start)',
      'M10,10L20,10L15,20ZM100.26,-5.04L90,7.55L95.01,3Z',
    ],
    ['negative steps and small decimals', 'M0.04,0.06L-0.3,0.2L-10.25,-0.05Z'],
    ['an open line', 'M1,1L2,2L3,1'],
  ])('relative steps visit the same points to a tenth: %s', (_, d) => {
    expectSameDrawing(relativePath(d), d);
  });

  it('ships every country as the projection draws it, in far fewer bytes', () => {
    const absolute = projectedCountries();
    const shipped = worldShapes();
    expect(shipped.length).toBeGreaterThan(170);
    expect(shipped.find((s) => s.alpha2 === 'DE')?.name).toBe('Germany');
    expect(shipped.some((s) => s.name === 'Antarctica')).toBe(false);
    for (const [i, s] of shipped.entries()) expectSameDrawing(s.d, absolute[i]!.d);
    const bytes = (list: { d: string }[]) => list.reduce((n, s) => n + s.d.length, 0);
    expect(bytes(shipped)).toBeLessThan(bytes(absolute) / 2);
  });
});
