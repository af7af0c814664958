import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  ALPHA2_TO_NUMERIC,
  alpha2OfNumeric,
  alpha2OfShape,
  countryName,
  numericOf,
} from '../src/data/countries.ts';

describe('alpha-2 → numeric', () => {
  it('maps known codes, in any case', () => {
    expect(numericOf('DE')).toBe('276');
    expect(numericOf('us')).toBe('840');
    expect(numericOf('AF')).toBe('004');
    expect(numericOf('GB')).toBe('826');
    expect(numericOf('XX')).toBeUndefined();
  });

  it('covers the 249 assigned codes, one numeric each', () => {
    const entries = Object.entries(ALPHA2_TO_NUMERIC);
    expect(entries).toHaveLength(249);
    expect(new Set(entries.map(([, n]) => n)).size).toBe(249);
    for (const [a, n] of entries) {
      expect(a).toMatch(/^[A-Z]{2}$/);
      expect(n).toMatch(/^\d{3}$/);
    }
  });

  it('maps back from numeric, padded or not', () => {
    expect(alpha2OfNumeric('276')).toBe('DE');
    expect(alpha2OfNumeric(40)).toBe('AT');
    expect(alpha2OfNumeric('40')).toBe('AT');
    expect(alpha2OfNumeric('999')).toBeUndefined();
  });

  it('names every shape of world-atlas 110m that has a code, and Kosovo', () => {
    const require = createRequire(import.meta.url);
    const atlas = JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8')) as {
      objects: { countries: { geometries: { id?: string; properties: { name: string } }[] } };
    };
    const unnamed = atlas.objects.countries.geometries
      .filter((g) => alpha2OfShape(g.id, g.properties.name) === undefined)
      .map((g) => g.properties.name);
    // Shapes without an ISO code of their own.
    expect(unnamed.sort()).toEqual(['N. Cyprus', 'Somaliland']);
    expect(alpha2OfShape(undefined, 'Kosovo')).toBe('XK');
    expect(alpha2OfShape('276', 'Germany')).toBe('DE');
  });

  it('names countries in English, falling back to the code', () => {
    expect(countryName('DE')).toBe('Germany');
    expect(countryName('nope')).toBe('nope');
  });
});

describe('countryName', () => {
  it('names a country in English, and says Unknown where the aggregator could not tell', () => {
    expect(countryName('DE')).toBe('Germany');
    expect(countryName('??')).toBe('Unknown');
  });
});
