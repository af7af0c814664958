// Writes the OpenAPI document the verifier serves to packages/client/openapi.json, from which
// the typed client is generated (`npm run generate:client` runs both steps).
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../src/http/document.ts';
import { OPENAPI_PATH, serializeDocument } from '@keywatch/client/document';

writeFileSync(OPENAPI_PATH, serializeDocument(await openApiDocument()));
console.log(`wrote ${OPENAPI_PATH}`);
