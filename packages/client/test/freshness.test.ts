import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { OPENAPI_PATH, SCHEMA_PATH, typesFor } from '../src/document.ts';

// The verifier's own test holds openapi.json to the document it serves; this one holds the
// client's types to openapi.json. Both stale: `npm run generate:client`.
it('src/schema.ts is what openapi-typescript makes of openapi.json (else: npm run generate:client)', async () => {
  const document = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
  expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(await typesFor(document));
});
