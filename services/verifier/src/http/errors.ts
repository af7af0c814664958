import type { FailureCode, FailureDetail } from '@keywatch/keys';

/** Every error code the API answers, and its status: the one place where a code becomes a status. */
export const STATUS_OF = {
  invalid_request: 400,
  missing_auth_header: 401,
  malformed_auth_header: 401,
  invalid_api_key: 401,
  expired_api_key: 401,
  insufficient_scope: 403,
  ip_not_allowed: 403,
  key_rotated: 403,
  csrf_refused: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limit_exceeded: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;
export type ErrorCode = keyof typeof STATUS_OF;
export type ErrorStatus = (typeof STATUS_OF)[ErrorCode];

/** Why a request failed, in the client's words: a code of the table and a message. */
export interface Problem {
  code: ErrorCode;
  message: string;
}

/** The body every failure answers with (the contract's error body). */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
  status: ErrorStatus;
}

export const errorBody = (problem: Problem): ErrorBody => ({
  error: { code: problem.code, message: problem.message },
  status: STATUS_OF[problem.code],
});

/** Thrown by a handler to answer a problem; the error handler is the only place that answers it. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly problem: Problem,
    /** Headers that belong to the answer (`Retry-After`, `Allow`). */
    readonly headers: Readonly<Record<string, string | number>> = {},
  ) {
    super(problem.message);
  }
}

/** Seconds a client is asked to wait after a 503. */
export const SERVICE_UNAVAILABLE_RETRY_AFTER_S = 5;

/** The contract's messages, each stated once. */
export const problems = {
  invalidRequest: (issues: readonly string[]): Problem => ({
    code: 'invalid_request',
    message: issues.join('; '),
  }),
  notFound: (what: string): Problem => ({ code: 'not_found', message: `${what} not found` }),
  methodNotAllowed: (method: string, path: string): Problem => ({
    code: 'method_not_allowed',
    message: `Method ${method} is not allowed on ${path}`,
  }),
  /** The request is fine but the resource's state refuses it (e.g. an org at one of its bounds). */
  conflict: (message: string): Problem => ({ code: 'conflict', message }),
  payloadTooLarge: (limitBytes: number): Problem => ({
    code: 'payload_too_large',
    message: `Request body is larger than ${limitBytes} bytes`,
  }),
  unsupportedMediaType: (type: string): Problem => ({
    code: 'unsupported_media_type',
    message: `Content-Type ${type.slice(0, 100) || '(none)'} is not supported; send application/json`,
  }),
  keyRotated: (): Problem => ({
    code: 'key_rotated',
    message: 'This API key was rotated and can no longer manage keys; use its successor',
  }),
  /** A cookie-authenticated change (or a sign-in) from a page of another origin. */
  csrfRefused: (): Problem => ({
    code: 'csrf_refused',
    message: 'Cross-site request refused: the Origin does not match',
  }),
  internal: (): Problem => ({ code: 'internal_error', message: 'Internal server error' }),
  /** Postgres cannot be reached and the key is not in the cache: the caller should retry shortly. */
  unavailable: (): Problem => ({
    code: 'service_unavailable',
    message: 'Key verification is temporarily unavailable',
  }),
} as const;

/** The answer to a failed verification (forward-auth, the management API's own key). */
export function verificationProblem(code: FailureCode, detail: FailureDetail = {}): Problem {
  switch (code) {
    case 'MISSING_AUTH_HEADER':
      return { code: 'missing_auth_header', message: 'Authorization header is required' };
    case 'MALFORMED_AUTH_HEADER':
      return { code: 'malformed_auth_header', message: "Authorization header must be 'Bearer <key>'" };
    // A revoked key looks unknown to the client; only the event says REVOKED.
    case 'INVALID_API_KEY':
    case 'REVOKED':
      return { code: 'invalid_api_key', message: 'The API key provided is invalid' };
    case 'EXPIRED':
      return {
        code: 'expired_api_key',
        message: `API key expired on ${(detail.expiresAt ?? new Date(0)).toISOString().slice(0, 10)}`,
      };
    case 'INSUFFICIENT_SCOPE':
      return { code: 'insufficient_scope', message: `API key lacks required scope: ${detail.scope ?? ''}` };
    case 'IP_NOT_ALLOWED':
      return {
        code: 'ip_not_allowed',
        message: 'Requests from this IP address are not allowed for this API key',
      };
    case 'RATE_LIMITED':
      return {
        code: 'rate_limit_exceeded',
        message: `Rate limit of ${detail.limit ?? 0} requests per ${detail.period ?? 'minute'} exceeded`,
      };
  }
}
