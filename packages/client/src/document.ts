import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

/** The verifier's OpenAPI document, as committed beside the client made from it. */
export const OPENAPI_PATH = fileURLToPath(new URL('../openapi.json', import.meta.url));
/** The types generated from it. */
export const SCHEMA_PATH = fileURLToPath(new URL('./schema.ts', import.meta.url));

/** The document as the file holds it: stable text, so a diff shows what changed in the API. */
export const serializeDocument = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;

/** The client's types for a document (what `src/schema.ts` must hold). */
export async function typesFor(document: object): Promise<string> {
  // A field with a default may be left out of a request: it is optional, not required.
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], {
    exportType: true,
    defaultNonNullable: false,
  });
  return `// Generated from openapi.json by \`npm run generate:client\`; do not edit.\n\n${astToString(ast)}`;
}
