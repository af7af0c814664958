import { createKeywatchClient, dataOf, KeywatchApiError, type KeywatchClient } from '@keywatch/client';
import { UsageError } from './usage.ts';

export const DEFAULT_URL = 'http://127.0.0.1:8080';
/** A verifier that takes the connection but never answers is as unreachable as one that refuses it. */
const TIMEOUT_MS = 30_000;
/** The most rows a list route gives per page. */
const PAGE_SIZE = 1000;

/** The verifier did not answer at all (refused, unknown host, timeout): exit code 3. */
export class VerifierUnreachable extends Error {
  override name = 'VerifierUnreachable';
  constructor(url: string, cause: unknown) {
    super(`cannot reach the verifier at ${url} (KEYWATCH_URL): ${networkReason(cause)}`);
  }
}

// fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, …) is in its cause.
function networkReason(err: unknown): string {
  const { name, message, cause } = err as Error & { cause?: { code?: string; message?: string } };
  if (name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  return cause?.code || cause?.message || message;
}

/** A client of the verifier at KEYWATCH_URL, authenticated by KEYWATCH_ADMIN_KEY (which is never printed). */
export function apiFromEnv(env: NodeJS.ProcessEnv = process.env): KeywatchClient {
  const url = env.KEYWATCH_URL || DEFAULT_URL;
  if (!isHttpUrl(url))
    throw new UsageError(`KEYWATCH_URL must be an http(s) URL such as ${DEFAULT_URL}: ${url}`);
  const adminKey = env.KEYWATCH_ADMIN_KEY;
  if (!adminKey)
    throw new UsageError(
      'KEYWATCH_ADMIN_KEY is not set: give an admin key of the org (a key with scope admin)',
    );
  const client = createKeywatchClient({
    baseUrl: url,
    adminKey,
    fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) }),
  });
  client.use({ onError: ({ error }) => new VerifierUnreachable(url, error) });
  return client;
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** How a failed API command ends: its exit code and the line for stderr; undefined for anything else. */
export function apiFailure(err: unknown): { exitCode: 1 | 3; message: string } | undefined {
  if (err instanceof KeywatchApiError)
    return { exitCode: 1, message: `${err.status} ${err.code}: ${err.message}` };
  if (err instanceof VerifierUnreachable) return { exitCode: 3, message: err.message };
  return undefined;
}

type Page = { limit: number; cursor?: string };

/**
 * The rows of a list route: every page, following `nextCursor`, or only the first `limit` rows.
 * Nothing is printed before the last page arrives, so a failure leaves stdout empty.
 */
export async function listAll<D extends { nextCursor: string | null }, T>(
  limit: number | undefined,
  get: (page: Page) => Promise<{ data?: D; error?: unknown; response: Response }>,
  rowsOf: (data: D) => T[],
): Promise<T[]> {
  const rows: T[] = [];
  let page: Page = { limit: limit ?? PAGE_SIZE };
  for (;;) {
    const data = dataOf(await get(page));
    rows.push(...rowsOf(data));
    if (limit !== undefined || !data.nextCursor) return rows;
    page = { limit: PAGE_SIZE, cursor: data.nextCursor };
  }
}

/** `--json`, which every API command takes: the API's JSON as it answered, for scripts. */
export const JSON_OPTION = { json: { type: 'boolean' } } as const;

export const printJson = (value: unknown) => console.log(JSON.stringify(value, null, 2));
