/**
 * Sign in with an admin key: it is sent once to `POST /api/session`, which answers with an
 * HttpOnly cookie; the key is then cleared from the form and kept nowhere by the page.
 */
import { useId, useState } from 'preact/hooks';
import { useTitle } from '../hooks.ts';
import { navigate, type PageProps, safeNext } from '../router.ts';
import { signIn } from '../session.ts';

export default function SignIn({ loc }: PageProps) {
  useTitle('Sign in');
  const id = useId();
  const next = safeNext(loc.query.get('next'));
  const returning = loc.query.has('next');
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const secret = key.trim();
    if (!secret) return setError('Paste an admin key.');
    setBusy(true);
    setError(null);
    try {
      await signIn(secret);
      setKey('');
      navigate(next, { replace: true });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="signin">
      <h1 tabIndex={-1}>Sign in to keywatch</h1>
      {returning && (
        <p class="notice notice-info">
          Your session has ended or you are not signed in yet. Sign in to continue.
        </p>
      )}
      <form onSubmit={submit} class="stack" autocomplete="off">
        <div class="field">
          <label for={id}>Admin API key</label>
          <p class="hint" id={`${id}-hint`}>
            A key of your org with the <span class="mono">admin</span> scope (
            <span class="mono">sk_live_…</span>). It is exchanged for a session cookie and not stored by this
            page.
          </p>
          <input
            id={id}
            type="password"
            name="admin-key"
            autocomplete="off"
            spellcheck={false}
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
            aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
            aria-invalid={error ? true : undefined}
            required
          />
          {error && (
            <p class="field-errors" id={`${id}-error`} role="alert">
              {error}
            </p>
          )}
        </div>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
      <p class="muted">The session lasts 12 hours. Sign out from the header when you are done.</p>
    </div>
  );
}
