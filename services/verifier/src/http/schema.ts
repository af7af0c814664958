import { z } from 'zod';
import { type ErrorCode, type ErrorStatus, SERVICE_UNAVAILABLE_RETRY_AFTER_S, STATUS_OF } from './errors.ts';

/**
 * One answer of a route, as the document shows it: what it means, its headers, and its body per
 * content type (none: an empty body). The same object drives validation of the answer and the
 * OpenAPI document (see openapi.ts).
 */
export interface ResponseSpec {
  description: string;
  headers?: z.ZodObject;
  content?: Record<string, { schema: z.ZodType }>;
}

/** A JSON answer. */
export const json = <S extends z.ZodType>(description: string, schema: S, headers?: z.ZodObject) => ({
  description,
  ...(headers && { headers }),
  content: { 'application/json': { schema } },
});

/** An answer without a body. */
export const empty = (description: string, headers?: z.ZodObject): ResponseSpec => ({
  description,
  ...(headers && { headers }),
});

const header = (description: string, example: string | number) =>
  z.string().meta({ description, examples: [String(example)] });

/** What a rate-limited answer tells the client about its budget. */
export const rateLimitHeaders = {
  'x-ratelimit-limit': header('Requests the key may make per period', 100),
  'x-ratelimit-remaining': header('Requests left in this period', 99),
  'x-ratelimit-reset': header('Unix time (seconds) at which the period ends', 1_796_000_000),
};

const retryAfter = (example: number) => header('Seconds to wait before trying again', example);

const CODES_OF = Object.entries(STATUS_OF).reduce(
  (by, [code, status]) => by.set(status, [...(by.get(status) ?? []), code as ErrorCode]),
  new Map<ErrorStatus, ErrorCode[]>(),
);

const WHEN: Record<ErrorStatus, string> = {
  400: 'The request is malformed; the message names each field and what is wrong with it',
  401: 'No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended',
  403: 'The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin',
  404: 'No such resource in the caller’s org',
  405: 'The path exists but not for this method; `Allow` lists the methods it takes',
  409: 'The resource’s state refuses the change (an org at one of its bounds, a key already rotated)',
  413: 'The request body is larger than the verifier accepts (64 KiB)',
  415: 'The request body is not JSON',
  429: 'Over the key’s rate limit, or too many unknown keys from one source',
  500: 'An unexpected failure; the body never carries details',
  503: 'A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions)',
};

const HEADERS_OF: Partial<Record<ErrorStatus, z.ZodObject>> = {
  405: z.object({ allow: header('The methods this path takes', 'GET, POST') }),
  429: z.object({ 'retry-after': retryAfter(42), ...rateLimitHeaders }),
  503: z.object({ 'retry-after': retryAfter(SERVICE_UNAVAILABLE_RETRY_AFTER_S) }),
};

const errorSchemas = new Map<ErrorStatus, ReturnType<typeof makeErrorSchema>>();

/** The contract's error body; each status lists only its own codes. One component per status. */
export const errorSchema = (status: ErrorStatus) => {
  let schema = errorSchemas.get(status);
  if (!schema) {
    schema = makeErrorSchema(status);
    errorSchemas.set(status, schema);
  }
  return schema;
};

const makeErrorSchema = (status: ErrorStatus) => {
  const codes = CODES_OF.get(status)!;
  return z
    .object({
      error: z.object({
        code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
        message: z.string().describe('What went wrong, in words for people'),
      }),
      status: z.literal(status),
    })
    .meta({
      id: `Error${status}`,
      description: `The error body of a ${status}`,
      examples: [{ error: { code: codes[0], message: '…' }, status }],
    });
};

/** The error answers a route can give, each with the contract's body. */
export const errors = <const S extends ErrorStatus>(...statuses: S[]) =>
  Object.fromEntries(statuses.map((s) => [s, json(WHEN[s], errorSchema(s), HEADERS_OF[s])])) as Record<
    S,
    ReturnType<typeof json<ReturnType<typeof errorSchema>>>
  >;

/** What every management route may answer besides its own: the admin key's verdict and outages. */
export const adminErrors = [401, 403, 429, 500, 503] as const;

/** An `:id` that names a resource of the caller's org. */
export const idParams = z.object({ id: z.uuid().describe('The resource’s id') });

/** Examples of each named schema, as written (see `named`). */
export const namedExamples = new Map<string, unknown[]>();

/**
 * Names a schema in the document (`components.schemas.<id>`) with its description and examples.
 * zod leaves a transforming schema's examples out of its input form, taking them for output
 * values; ours are written as clients send them, so the document puts them back.
 */
export function named<S extends z.ZodType>(
  schema: S,
  meta: { id: string; description: string; examples: unknown[] },
): S {
  namedExamples.set(meta.id, meta.examples);
  return schema.meta(meta);
}

/** Security requirement of the management API: an admin key as a Bearer token, or the session cookie it signed in. */
export const ADMIN_SECURITY: { [scheme: string]: string[] }[] = [{ adminKey: [] }, { sessionCookie: [] }];
