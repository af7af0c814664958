/** Codes carried by AuthEvents and answered by `POST /v1/verify`. */
export const VERIFY_CODES = [
  'VALID',
  'MISSING_AUTH_HEADER',
  'MALFORMED_AUTH_HEADER',
  'INVALID_API_KEY',
  'REVOKED',
  'EXPIRED',
  'INSUFFICIENT_SCOPE',
  'IP_NOT_ALLOWED',
  'RATE_LIMITED',
] as const;
export type VerifyCode = (typeof VERIFY_CODES)[number];
export type FailureCode = Exclude<VerifyCode, 'VALID'>;

export interface ApiError {
  status: number;
  code: string;
  message: string;
}

/** The body every failure of forward-auth and of the management API answers with. */
export interface ApiErrorBody {
  error: { code: string; message: string };
  status: number;
}

export const errorBody = (e: ApiError): ApiErrorBody => ({
  error: { code: e.code, message: e.message },
  status: e.status,
});

export interface FailureDetail {
  /** Expiry date of an expired key. */
  expiresAt?: Date;
  /** The scope that was required and not held. */
  scope?: string;
  limit?: number;
  period?: string;
}

/** The contract's error table: one place for every status, code and message. */
export function verifyError(code: FailureCode, detail: FailureDetail = {}): ApiError {
  switch (code) {
    case 'MISSING_AUTH_HEADER':
      return { status: 401, code: 'missing_auth_header', message: 'Authorization header is required' };
    case 'MALFORMED_AUTH_HEADER':
      return {
        status: 401,
        code: 'malformed_auth_header',
        message: "Authorization header must be 'Bearer <key>'",
      };
    // A revoked key looks unknown to the client; only the event says REVOKED.
    case 'INVALID_API_KEY':
    case 'REVOKED':
      return { status: 401, code: 'invalid_api_key', message: 'The API key provided is invalid' };
    case 'EXPIRED':
      return {
        status: 401,
        code: 'expired_api_key',
        message: `API key expired on ${(detail.expiresAt ?? new Date(0)).toISOString().slice(0, 10)}`,
      };
    case 'INSUFFICIENT_SCOPE':
      return {
        status: 403,
        code: 'insufficient_scope',
        message: `API key lacks required scope: ${detail.scope ?? ''}`,
      };
    case 'IP_NOT_ALLOWED':
      return {
        status: 403,
        code: 'ip_not_allowed',
        message: 'Requests from this IP address are not allowed for this API key',
      };
    case 'RATE_LIMITED':
      return {
        status: 429,
        code: 'rate_limit_exceeded',
        message: `Rate limit of ${detail.limit ?? 0} requests per ${detail.period ?? 'minute'} exceeded`,
      };
  }
}

export const invalidRequest = (problems: string[]): ApiError => ({
  status: 400,
  code: 'invalid_request',
  message: problems.join('; '),
});

export const notFound = (what: string): ApiError => ({
  status: 404,
  code: 'not_found',
  message: `${what} not found`,
});

/** The request is fine but the resource's state refuses it (e.g. an org at one of its bounds). */
export const conflict = (message: string): ApiError => ({ status: 409, code: 'conflict', message });

/** Postgres cannot be reached and the key is not in the cache: the caller should retry shortly. */
export const serviceUnavailable = (): ApiError => ({
  status: 503,
  code: 'service_unavailable',
  message: 'Key verification is temporarily unavailable',
});

/** Seconds a client is asked to wait after a 503. */
export const SERVICE_UNAVAILABLE_RETRY_AFTER_S = 5;
