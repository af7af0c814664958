import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema.ts';

export type { components, paths };

type Schemas = components['schemas'];
export type ApiKey = Schemas['ApiKey'];
export type IssuedApiKey = Schemas['IssuedApiKey'];
export type NewApiKey = Schemas['NewApiKey'];
export type ApiKeyPatch = Schemas['ApiKeyPatch'];
export type Alert = Schemas['Alert'];
export type AlertPreview = Schemas['AlertPreview'];
export type PreviewedAlert = Schemas['PreviewedAlert'];
export type Silence = Schemas['Silence'];
export type NewSilence = Schemas['NewSilence'];
export type UsageReport = Schemas['UsageReport'];
export type OrgUsageReport = Schemas['OrgUsageReport'];

/** The contract's error body, whatever the status. */
export interface ErrorBody {
  error: { code: string; message: string };
  status: number;
}

/** A failed call: the contract's error code and message, and the HTTP status. */
export class KeywatchApiError extends Error {
  override name = 'KeywatchApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  /** Where the verifier answers, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** An admin key of the org (`sk_live_…`); without one, calls go out unauthenticated (a browser session). */
  adminKey?: string;
  /** A fetch of one's own (tests, proxies); the platform's by default. */
  fetch?: typeof globalThis.fetch;
}

/**
 * Answers typed as their JSON: the usage routes also answer CSV, which a caller asks for with
 * `headers: { accept: 'text/csv' }, parseAs: 'text'` and receives as a string.
 */
export type KeywatchClient = Client<paths, 'application/json'>;

/** A typed client of keywatch's HTTP API: every path, parameter, body and answer from the document. */
export function createKeywatchClient(options: ClientOptions): KeywatchClient {
  return createClient<paths, 'application/json'>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: options.adminKey ? { authorization: `Bearer ${options.adminKey}` } : {},
    ...(options.fetch && { fetch: options.fetch }),
  });
}

/**
 * The answer's data, or a KeywatchApiError carrying the contract's code and message. For callers
 * that treat every failure alike (scripts, the CLI); others read `error` and `response` themselves.
 */
export function dataOf<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok && result.data !== undefined) return result.data;
  const body = result.error as Partial<ErrorBody> | undefined;
  const status = result.response.status;
  throw new KeywatchApiError(
    status,
    body?.error?.code ?? 'unexpected_response',
    body?.error?.message ?? `HTTP ${status} ${result.response.statusText}`.trim(),
  );
}
