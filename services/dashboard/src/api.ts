/**
 * The API, through the typed client, authenticated by the session cookie (no key in page
 * scripts). A 401 from any call means the session is gone: the app goes to the sign-in page,
 * keeping the address to come back to.
 */
import { createKeywatchClient, dataOf, KeywatchApiError } from '@keywatch/client';
import { location, navigate, signInUrl } from './router.ts';

export { dataOf, KeywatchApiError };

/** Sends the user to sign in (once, however many calls fail together). */
export function onUnauthorized() {
  const loc = location();
  if (loc.path === '/signin') return;
  navigate(signInUrl(loc.href), { replace: true });
}

/** fetch for every API call: same-origin credentials (the cookie), and a 401 leads to sign-in. */
export const apiFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, { credentials: 'same-origin', ...init });
  if (res.status === 401) onUnauthorized();
  return res;
};

export const api = createKeywatchClient({ baseUrl: window.location.origin, fetch: apiFetch });

/** The words to show for a failed call (the API's message when there is one). */
export function errorMessage(error: unknown): string {
  if (error instanceof KeywatchApiError) {
    if (error.status === 401) return 'Your session has ended. Sign in again.';
    if (error.status === 403 && error.code === 'insufficient_scope') {
      return 'This session’s key lacks the admin scope needed here.';
    }
    return error.message;
  }
  if (error instanceof DOMException && error.name === 'AbortError') return 'Cancelled.';
  if (error instanceof TypeError)
    return 'The server could not be reached. Check your connection and try again.';
  return error instanceof Error ? error.message : String(error);
}

/** The message of a 400 (for per-field errors), or null for any other failure. */
export function invalidRequestMessage(error: unknown): string | null {
  return error instanceof KeywatchApiError && error.status === 400 ? error.message : null;
}

export const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

/** Every page of a list route (`limit` + `cursor`), up to `max` items. */
export async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  max = 10_000,
): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    if (!page.nextCursor) return { items, complete: true };
    if (items.length >= max) return { items, complete: false };
    cursor = page.nextCursor;
  }
}
