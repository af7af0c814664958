/**
 * The browser's session: the admin key is exchanged once for an HttpOnly cookie
 * (`POST /api/session`) and never kept by page scripts (not in storage, not in a readable
 * cookie, not in the URL). `DELETE /api/session` signs out. These routes may not be in the typed
 * client yet, so they are called with plain fetch.
 */

export class SignInError extends Error {
  override name = 'SignInError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function messageOf(res: Response): Promise<string | undefined> {
  try {
    const body = (await res.json()) as { error?: { message?: unknown } };
    return typeof body?.error?.message === 'string' ? body.error.message : undefined;
  } catch {
    return undefined;
  }
}

/** Exchanges an admin key for the session cookie; throws SignInError with the API's words. */
export async function signIn(key: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch('/api/session', {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ key }),
    });
  } catch {
    throw new SignInError(0, 'The server could not be reached. Check your connection and try again.');
  }
  if (res.ok) return;
  const message = await messageOf(res);
  if (res.status === 401) throw new SignInError(401, message ?? 'That key is not valid.');
  if (res.status === 403) {
    throw new SignInError(403, message ?? 'That key cannot sign in: it needs the admin scope.');
  }
  if (res.status === 404) throw new SignInError(404, 'This server does not offer browser sign-in yet.');
  if (res.status === 429)
    throw new SignInError(429, message ?? 'Too many attempts. Wait a moment and try again.');
  throw new SignInError(res.status, message ?? `Sign-in failed (HTTP ${res.status}).`);
}

/** Ends the session (the cookie is cleared by the server); never throws. */
export async function signOut(): Promise<void> {
  try {
    await fetch('/api/session', {
      method: 'DELETE',
      credentials: 'same-origin',
      cache: 'no-store',
      // No body, so no content-type: a JSON content-type with an empty body is refused (400).
    });
  } catch {
    // Signed out locally either way: the next call answers 401 if the session is still there.
  }
}
