import { readFileSync } from 'node:fs';
import { OPENAPI_PATH, serializeDocument } from '@keywatch/client/document';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { OpenAPIV3_1 } from 'openapi-types';
import { beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/http/document.ts';

type Operation = OpenAPIV3_1.OperationObject;
type Schema = OpenAPIV3_1.SchemaObject & OpenAPIV3_1.ReferenceObject;

let document: OpenAPIV3_1.Document;
const operations: { label: string; operation: Operation }[] = [];

beforeAll(async () => {
  document = (await openApiDocument()) as OpenAPIV3_1.Document;
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item ?? {})) {
      operations.push({ label: `${method.toUpperCase()} ${path}`, operation: operation as Operation });
    }
  }
});

/** A schema's example, looked up through its $ref. */
const exampleOf = (schema: Schema): unknown[] | undefined => {
  if (schema.$ref) return exampleOf(document.components!.schemas![schema.$ref.split('/').at(-1)!] as Schema);
  // An optional body (`anyOf: [body, null]`): the body's example.
  return (
    (schema.examples as unknown[] | undefined) ??
    schema.anyOf?.map((s) => exampleOf(s as Schema)).find(Boolean)
  );
};

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document, by the specification’s own JSON schema', async () => {
    const validator = new Validator();
    // A copy: resolving references rewrites the object in place.
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it('is the one the client was generated from (else: npm run generate:client)', () => {
    expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(serializeDocument(document));
  });

  it('holds every route of the contract', () => {
    const labels = operations.map((o) => o.label);
    for (const route of [
      'GET /v1/auth',
      'POST /v1/verify',
      'POST /api/api-keys',
      'GET /api/api-keys',
      'GET /api/api-keys/{id}',
      'PATCH /api/api-keys/{id}',
      'DELETE /api/api-keys/{id}',
      'POST /api/api-keys/{id}/rotate',
      'GET /api/api-keys/{id}/usage',
      'GET /api/usage',
      'GET /api/alerts',
      'POST /api/alerts/preview',
      'GET /api/alert-settings',
      'PUT /api/alert-settings',
      'POST /api/silences',
      'GET /api/silences',
      'DELETE /api/silences/{id}',
      'POST /api/webhook-secret',
      'POST /api/session',
      'DELETE /api/session',
      'GET /healthz',
      'GET /metrics',
    ]) {
      expect(labels).toContain(route);
    }
  });

  it('describes every operation, parameter and answer, with an example of every body', () => {
    const missing: string[] = [];
    for (const { label, operation } of operations) {
      if (!operation.summary) missing.push(`${label}: summary`);
      if (!operation.tags?.length) missing.push(`${label}: tags`);
      for (const p of (operation.parameters ?? []) as OpenAPIV3_1.ParameterObject[]) {
        if (!p.description && !(p.schema as Schema | undefined)?.description)
          missing.push(`${label}: ${p.name}`);
      }
      const body = operation.requestBody as OpenAPIV3_1.RequestBodyObject | undefined;
      for (const [type, media] of Object.entries(body?.content ?? {})) {
        if (!exampleOf(media.schema as Schema)?.length) missing.push(`${label}: example of the ${type} body`);
      }
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const answer = response as OpenAPIV3_1.ResponseObject;
        if (!answer.description || answer.description === 'Default Response')
          missing.push(`${label} ${status}`);
        for (const [type, media] of Object.entries(answer.content ?? {})) {
          if (!exampleOf(media.schema as Schema)?.length)
            missing.push(`${label} ${status}: example of ${type}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('answers every failure with the contract’s error body for its own status', () => {
    for (const { label, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (Number(status) < 400 || label === 'GET /healthz') continue;
        const media = (response as OpenAPIV3_1.ResponseObject).content?.['application/json'];
        expect(media?.schema, `${label} ${status}`).toEqual({ $ref: `#/components/schemas/Error${status}` });
      }
    }
    const error401 = document.components!.schemas!.Error401 as OpenAPIV3_1.SchemaObject;
    expect(error401.properties!.status).toMatchObject({ const: 401 });
  });

  it('secures the management API with an admin key or its session, and forward-auth with the key it verifies', () => {
    for (const { label, operation } of operations) {
      // Signing in and out takes the key in the body, or the cookie itself: no prior credential.
      if (label.endsWith(' /api/session')) expect(operation.security, label).toBeUndefined();
      else if (label.includes(' /api/'))
        expect(operation.security, label).toEqual([{ adminKey: [] }, { sessionCookie: [] }]);
    }
    const auth = operations.find((o) => o.label === 'GET /v1/auth')!.operation;
    expect(auth.security).toEqual([{ apiKey: [] }]);
    expect(Object.keys(document.components!.securitySchemes!)).toEqual([
      'adminKey',
      'apiKey',
      'sessionCookie',
    ]);
    expect(document.components!.securitySchemes!.sessionCookie).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'keywatch_session',
    });
    const error403 = document.components!.schemas!.Error403 as OpenAPIV3_1.SchemaObject;
    const code = (error403.properties!.error as OpenAPIV3_1.SchemaObject).properties!.code;
    expect((code as OpenAPIV3_1.SchemaObject).enum).toContain('csrf_refused');
  });

  it('serves usage as JSON or CSV', () => {
    for (const path of ['/api/usage', '/api/api-keys/{id}/usage']) {
      const ok = document.paths![path]!.get!.responses['200'] as OpenAPIV3_1.ResponseObject;
      expect(Object.keys(ok.content!)).toEqual(['application/json', 'text/csv']);
    }
  });
});
