import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isDroppedTypeFetch } from '../src/dropped-type-fetch.ts';

// The catalog query as the installed postgres.js sends it: an upgrade that changes it fails here.
const connectionSource = readFileSync(
  createRequire(import.meta.url).resolve('postgres').replace(/cjs\/src\/index\.js$/, 'src/connection.js'),
  'utf8',
);
const catalogQuery = /async function fetchArrayTypes\(\) \{[\s\S]*?new Query\(\[`([\s\S]*?)`\]/.exec(
  connectionSource,
)?.[1];

describe('isDroppedTypeFetch', () => {
  it('knows the rejection of the catalog query postgres.js runs on each new connection', () => {
    expect(catalogQuery).toContain('pg_catalog.pg_type');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
      query: catalogQuery,
    });
    expect(isDroppedTypeFetch(refused)).toBe(true);
  });

  it.each([
    ['a query of ours', Object.assign(new Error('boom'), { query: 'select * from api_keys' })],
    ['an error without a query', new Error('connect ECONNREFUSED')],
    ['a string', 'pg_catalog.pg_type typarray'],
    ['nothing', undefined],
    ['null', null],
  ])('leaves anything else alone: %s', (_name, reason) => {
    expect(isDroppedTypeFetch(reason)).toBe(false);
  });
});
