/**
 * A small router over the History API: every view is a path and a query string (no hash), so it
 * can be shared and reloaded. Pure parts (matching, building URLs, the sign-in return address)
 * are separate from the browser's state.
 */
import { useEffect, useState } from 'preact/hooks';

export type RouteName =
  | 'home'
  | 'overview'
  | 'keys'
  | 'newKey'
  | 'key'
  | 'alerts'
  | 'settings'
  | 'rotation'
  | 'signin'
  | 'notFound';

export interface Route {
  name: RouteName;
  params: Record<string, string>;
}

const STATIC: Record<string, RouteName> = {
  '/': 'home',
  '/overview': 'overview',
  '/keys': 'keys',
  '/keys/new': 'newKey',
  '/alerts': 'alerts',
  '/settings': 'settings',
  '/rotation': 'rotation',
  '/signin': 'signin',
};

/** The route of a path (a trailing slash is ignored). */
export function matchRoute(path: string): Route {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const name = STATIC[clean];
  if (name) return { name, params: {} };
  const key = /^\/keys\/([^/]+)$/.exec(clean);
  if (key) {
    try {
      return { name: 'key', params: { id: decodeURIComponent(key[1]!) } };
    } catch {
      return { name: 'notFound', params: {} };
    }
  }
  return { name: 'notFound', params: {} };
}

export type QueryPatch = Record<string, string | number | null | undefined>;

/** A path with a query string; empty, null and undefined values are left out. */
export function buildUrl(path: string, query: QueryPatch = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** A query string with some fields changed (null, undefined or '' removes one). */
export function patchQuery(search: string, patch: QueryPatch): string {
  const params = new URLSearchParams(search);
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || v === null || v === '') params.delete(k);
    else params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

export const DEFAULT_PAGE = '/overview';

/**
 * Where to go after signing in: a path of this app (`/…`, not `//host` or `/\host`, not a URL of
 * another origin, not the sign-in page itself), else the overview.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return DEFAULT_PAGE;
  if (/[\p{Cc}\\]/u.test(next)) return DEFAULT_PAGE;
  if (matchRoute(next.split(/[?#]/)[0]!).name === 'signin') return DEFAULT_PAGE;
  return next;
}

/** The sign-in page's address, coming back to `returnTo` afterwards. */
export function signInUrl(returnTo: string): string {
  const next = safeNext(returnTo);
  return next === DEFAULT_PAGE ? '/signin' : buildUrl('/signin', { next });
}

// ---- the browser's location ----------------------------------------------------------------

export interface Loc {
  path: string;
  search: string;
  query: URLSearchParams;
  /** path + search */
  href: string;
}

const listeners = new Set<() => void>();
let current: Loc | undefined;

function read(): Loc {
  const { pathname, search } = window.location;
  return { path: pathname, search, query: new URLSearchParams(search), href: pathname + search };
}

function changed() {
  const next = read();
  if (current && next.href === current.href) return;
  current = next;
  for (const l of listeners) l();
}

/** Starts following the browser's back and forward buttons. */
export function startRouter() {
  current = read();
  window.addEventListener('popstate', changed);
}

export function location(): Loc {
  current ??= read();
  return current;
}

/** Goes to a path of this app (pushes a history entry unless `replace`). */
export function navigate(to: string, opts: { replace?: boolean } = {}) {
  if (to === location().href) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  changed();
  if (!opts.replace) window.scrollTo(0, 0);
}

/** Changes fields of the current query string; by default replaces the history entry (filters, typing). */
export function setQuery(patch: QueryPatch, opts: { replace?: boolean } = { replace: true }) {
  const loc = location();
  navigate(loc.path + patchQuery(loc.search, patch), opts);
}

/** The current location; the component renders again when it changes. */
export function useLocation(): Loc {
  const [loc, setLoc] = useState(location);
  useEffect(() => {
    const update = () => setLoc(location());
    listeners.add(update);
    update();
    return () => {
      listeners.delete(update);
    };
  }, []);
  return loc;
}

/** What every page is given. */
export interface PageProps {
  params: Record<string, string>;
  loc: Loc;
}
