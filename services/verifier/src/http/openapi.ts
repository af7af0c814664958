import swagger, { type SwaggerTransform, type SwaggerTransformObject } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { OpenAPIV3_1 } from 'openapi-types';
import { z } from 'zod';
import { namedExamples, type ResponseSpec } from './schema.ts';
import { SESSION_COOKIE } from './session-cookie.ts';

/**
 * Requests are checked against their route's zod schemas before any handler runs. Headers are
 * described, never refused: forward-auth answers every request with its verdict, not a 400.
 */
export const validateRequests: FastifySchemaCompiler<z.ZodType> = (route) =>
  route.httpPart === 'headers' ? (data) => ({ value: data }) : validatorCompiler(route);

/** Answers are encoded through their schema (an answer that drifts from it fails, not leaks). */
export const serializeResponses: FastifySerializerCompiler<z.ZodType> = (route) =>
  route.schema instanceof z.ZodType ? serializerCompiler(route) : (data) => JSON.stringify(data);

/** Vendor fields of an operation that the document's readers (and our response check) honour. */
const OPTIONAL_BODY = 'x-keywatch-optional-body';

/**
 * fastify-type-provider-zod turns zod into JSON Schema; this adds what its transform leaves out:
 * response headers, answers without a body, and request bodies that may be left out.
 */
const transform: SwaggerTransform = (input) => {
  const response = input.schema?.response as Record<string, ResponseSpec> | undefined;
  const bodies = Object.fromEntries(Object.entries(response ?? {}).filter(([, spec]) => spec.content));
  const out = jsonSchemaTransform({
    ...input,
    schema: { ...input.schema, ...(response && { response: bodies }) },
  } as Parameters<typeof jsonSchemaTransform>[0]);
  const schema = out.schema as Record<string, unknown> & { response?: Record<string, object> };
  if (schema.hide) return out;
  for (const [status, spec] of Object.entries(response ?? {})) {
    const headers = spec.headers && headerSchemas(spec.headers);
    schema.response![status] = spec.content
      ? { ...schema.response![status], ...(headers && { headers }) }
      : { description: spec.description, type: 'null', ...(headers && { headers }) };
  }
  const body = input.schema?.body;
  if (body instanceof z.ZodType && body.safeParse(undefined).success) schema[OPTIONAL_BODY] = true;
  return out;
};

const headerSchemas = (headers: z.ZodObject) =>
  Object.fromEntries(
    Object.entries(headers.shape).map(([name, s]) => {
      const { $schema: _dialect, ...schema } = z.toJSONSchema(s as z.ZodType, { io: 'output' });
      return [name, schema];
    }),
  );

/** Every `$ref` a part of the document makes. */
const refsIn = (value: unknown, found = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) for (const v of value) refsIn(v, found);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') found.add(v.split('/').at(-1)!);
      else refsIn(v, found);
    }
  }
  return found;
};

/** The components that something refers to: the zod registry holds an input and an output form of each. */
function pruneComponents(document: OpenAPIV3_1.Document) {
  const schemas = document.components?.schemas ?? {};
  const used = refsIn(document.paths);
  for (let grew = true; grew; ) {
    const before = used.size;
    for (const name of [...used]) refsIn(schemas[name], used);
    grew = used.size > before;
  }
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
}

/** Points every `$ref` of a part of the document through `rename` (component name to name). */
function renameRefs(value: unknown, rename: ReadonlyMap<string, string>): void {
  if (Array.isArray(value)) for (const v of value) renameRefs(v, rename);
  else if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        const to = rename.get(v.split('/').at(-1)!);
        if (to) node[k] = `#/components/schemas/${to}`;
      } else renameRefs(v, rename);
    }
  }
}

/** `NewApiKeyInput` is `NewApiKey` where only the input form is used (request bodies). */
function nameInputs(document: OpenAPIV3_1.Document): OpenAPIV3_1.Document {
  const schemas = document.components?.schemas ?? {};
  const rename = new Map(
    Object.keys(schemas)
      .map((name) => [name, name.replace(/Input$/, '')] as const)
      .filter(([name, base]) => base !== name && !(base in schemas)),
  );
  renameRefs(document, rename);
  if (document.components?.schemas) {
    document.components.schemas = Object.fromEntries(
      Object.entries(schemas).map(([name, schema]) => [rename.get(name) ?? name, schema]),
    );
  }
  return document;
}

const transformObject: SwaggerTransformObject = (input) => {
  const document = jsonSchemaTransformObject(input) as OpenAPIV3_1.Document;
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item ?? {}) as Record<string, unknown>[]) {
      if (operation?.[OPTIONAL_BODY]) {
        (operation.requestBody as { required: boolean }).required = false;
        delete operation[OPTIONAL_BODY];
      }
    }
  }
  pruneComponents(document);
  const named = nameInputs(document);
  for (const [id, schema] of Object.entries(named.components?.schemas ?? {})) {
    const examples = namedExamples.get(id.replace(/Input$/, ''));
    if (examples && !schema.examples) schema.examples = examples;
  }
  return named as ReturnType<SwaggerTransformObject>;
};

export const TAGS = {
  verification: 'Verification',
  keys: 'Keys',
  reports: 'Usage',
  alerts: 'Alerts',
  settings: 'Settings',
  session: 'Session',
  operations: 'Operations',
} as const;

/**
 * `GET /openapi.json` (OpenAPI 3.1, made from the routes' schemas) and `GET /docs` (Swagger UI,
 * served from its package: no asset comes from a CDN). Register before the routes.
 */
export async function documentApi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'keywatch',
        version: '1',
        description:
          'Verifies API keys (forward-auth for gateways, JSON for application servers), manages them, reports their usage and raises alerts. Failures answer `{ "error": { "code", "message" }, "status" }`.',
      },
      tags: [
        { name: TAGS.verification, description: 'Is this key allowed? Every verification is one AuthEvent.' },
        {
          name: TAGS.keys,
          description: 'Issue, change, rotate and revoke the org’s keys. Secrets are shown once.',
        },
        {
          name: TAGS.reports,
          description: 'Counts, failure reasons, countries and series, from the aggregates.',
        },
        { name: TAGS.alerts, description: 'Alerts with their deliveries, and silences.' },
        { name: TAGS.settings, description: 'The org’s alert settings and webhook secret.' },
        {
          name: TAGS.session,
          description: 'Sign in to the dashboard: an admin key exchanged for a session cookie, and sign out.',
        },
        { name: TAGS.operations, description: 'Health and metrics.' },
      ],
      components: {
        securitySchemes: {
          adminKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key of the org with scope `admin` (`Authorization: Bearer sk_live_…`).',
          },
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'The key being verified, as the client sent it (`Authorization: Bearer sk_live_…`).',
          },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description:
              'The session `POST /api/session` set, standing for the admin key that signed in (12 h). Ignored when an `Authorization` header is sent; changes (POST, PUT, PATCH, DELETE) need an `Origin` of the verifier itself.',
          },
        },
      },
    },
    transform,
    transformObject,
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // Everything from the verifier itself; Swagger UI sets inline styles from its scripts. (The
    // plugin's own policy also allows https: sources and upgrades requests, which breaks plain-HTTP installs.)
    staticCSP:
      "default-src 'self'; base-uri 'self'; connect-src 'self'; font-src 'self' data:; form-action 'none'; frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'",
    uiConfig: { deepLinking: true, tryItOutEnabled: false },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
