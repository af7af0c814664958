// Regenerates src/schema.ts from openapi.json (which the verifier writes first).
import { readFileSync, writeFileSync } from 'node:fs';
import { OPENAPI_PATH, SCHEMA_PATH, typesFor } from '../src/document.ts';

writeFileSync(SCHEMA_PATH, await typesFor(JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'))));
console.log(`wrote ${SCHEMA_PATH}`);
