import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** The parts of an OpenAPI 3.1 document that the check reads. */
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: object;
}
interface Operation {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
  /** The same answer for any method (forward-auth). */
  'x-keywatch-any-method'?: boolean;
  /** The same answer for any path under this one (forward-auth behind Envoy). */
  'x-keywatch-any-subpath'?: boolean;
}

/** One answer, as a test received it. */
export interface Answer {
  method: string;
  url: string;
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

const DOCUMENT_ID = 'openapi';

/** Paths that no route serves answer the contract's error body, with their own status. */
const unroutedAnswer = {
  type: 'object',
  required: ['error', 'status'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: { code: { enum: ['not_found', 'method_not_allowed'] }, message: { type: 'string' } },
    },
    status: { enum: [404, 405] },
  },
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Checks answers against the document that declares them: the status must be one the operation
 * lists, the content type one of its media types, and the body valid against that schema. An
 * answer that drifts from the document is a failure, whatever else the test asserts.
 */
export function answerChecker(served: object) {
  const document = served as OpenApiDocument;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: DOCUMENT_ID, components: document.components ?? {} });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (id: string, schema: object) => {
    let validate = compiled.get(id);
    if (!validate) {
      // Component references are relative to the document; here the document has an id.
      const rooted = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`),
      );
      validate = ajv.compile(rooted);
      compiled.set(id, validate);
    }
    return validate;
  };
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));

  function operationOf(
    method: string,
    path: string,
  ): { label: string; operation?: Operation; pathKnown: boolean } {
    const lower = method.toLowerCase();
    for (const { template, pattern } of templates) {
      const item = document.paths[template]!;
      const operations = METHODS.map((m) => item[m]).filter((o): o is Operation => o !== undefined);
      const exact = pattern.test(path);
      const under = operations.some((o) => o['x-keywatch-any-subpath']) && path.startsWith(`${template}/`);
      if (!exact && !under) continue;
      const operation =
        item[lower] ??
        (lower === 'head' ? item.get : undefined) ??
        operations.find((o) => o['x-keywatch-any-method']);
      return { label: `${method} ${template}`, operation, pathKnown: true };
    }
    return { label: `${method} ${path}`, pathKnown: false };
  }

  /** The ways an answer differs from the document (none: it matches). */
  function problemsOf(answer: Answer): string[] {
    const path = answer.url.split(/[?#]/, 1)[0]!;
    const { label, operation, pathKnown } = operationOf(answer.method, path);
    const type = String(answer.headers['content-type'] ?? '')
      .split(';', 1)[0]!
      .trim();
    if (!operation) {
      const expected = pathKnown ? 405 : 404;
      if (answer.status !== expected)
        return [`${label}: no operation, so ${expected} was due; got ${answer.status}`];
      return bodyProblems(`unrouted-${expected}`, unroutedAnswer, answer, label);
    }
    const declared = operation.responses[String(answer.status)] ?? operation.responses.default;
    if (!declared) {
      const listed = Object.keys(operation.responses).join(', ');
      return [`${label}: status ${answer.status} is not in the document (it lists ${listed})`];
    }
    if (answer.method === 'HEAD') return [];
    if (!declared.content) {
      return answer.body === ''
        ? []
        : [`${label} ${answer.status}: the document declares no body; got ${answer.body.slice(0, 200)}`];
    }
    const media = declared.content[type];
    if (!media) {
      const listed = Object.keys(declared.content).join(', ');
      return [
        `${label} ${answer.status}: content type ${type || '(none)'} is not in the document (it lists ${listed})`,
      ];
    }
    return bodyProblems(`${label} ${answer.status} ${type}`, media.schema, answer, label);
  }

  function bodyProblems(id: string, schema: object, answer: Answer, label: string): string[] {
    let body: unknown = answer.body;
    const type = String(answer.headers['content-type'] ?? '');
    if (type.includes('json')) {
      try {
        body = JSON.parse(answer.body);
      } catch {
        return [`${label} ${answer.status}: the body is not JSON: ${answer.body.slice(0, 200)}`];
      }
    }
    const validate = validator(id, schema);
    if (validate(body)) return [];
    return [`${label} ${answer.status}: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}`];
  }

  return {
    problemsOf,
    /** Throws, naming every difference, when the answer drifts from the document. */
    assertMatches(answer: Answer): void {
      const problems = problemsOf(answer);
      if (problems.length > 0)
        throw new Error(`answer drifts from the OpenAPI document:\n${problems.join('\n')}`);
    },
  };
}
export type AnswerChecker = ReturnType<typeof answerChecker>;
