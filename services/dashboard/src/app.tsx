/**
 * The app's frame: a skip link, the header (name, main navigation, sign out), and the page of
 * the current URL in <main>. The overview (where everyone lands) and sign-in come with the app, so
 * the overview asks for its data as soon as the app runs; other pages load on demand.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Link } from './components/Link.tsx';
import { ErrorBox, Loading } from './components/Status.tsx';
import { beginBusy, useBusy } from './hooks.ts';
import NotFound from './pages/NotFound.tsx';
import Overview from './pages/Overview.tsx';
import SignIn from './pages/SignIn.tsx';
import { type Loc, matchRoute, navigate, type PageProps, type RouteName, useLocation } from './router.ts';
import { signOut } from './session.ts';

type PageModule = { default: ComponentType<PageProps> };

const LAZY: Partial<Record<RouteName, () => Promise<PageModule>>> = {
  keys: () => import('./pages/Keys.tsx'),
  newKey: () => import('./pages/NewKey.tsx'),
  key: () => import('./pages/Key.tsx'),
  alerts: () => import('./pages/Alerts.tsx'),
  settings: () => import('./pages/Settings.tsx'),
  rotation: () => import('./pages/Rotation.tsx'),
};

const loaded = new Map<RouteName, ComponentType<PageProps>>([
  ['signin', SignIn],
  ['overview', Overview],
  ['notFound', NotFound],
]);

const NAV: { href: string; label: string; routes: RouteName[] }[] = [
  { href: '/overview', label: 'Overview', routes: ['overview'] },
  { href: '/keys', label: 'Keys', routes: ['keys', 'newKey', 'key'] },
  { href: '/alerts', label: 'Alerts', routes: ['alerts'] },
  { href: '/rotation', label: 'Rotation', routes: ['rotation'] },
  { href: '/settings', label: 'Settings', routes: ['settings'] },
];

let firstPage = true;

/** After moving to another page, focus its heading (so screen readers announce it); not on the first load. */
function useFocusHeading(path: string, ready: boolean) {
  useEffect(() => {
    if (!ready) return;
    if (firstPage) {
      firstPage = false;
      return;
    }
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true }),
    );
  }, [path, ready]);
}

function RouteView({ loc }: { loc: Loc }) {
  const route = matchRoute(loc.path);
  const [, setVersion] = useState(0);
  const [failed, setFailed] = useState<unknown>(null);
  const Page = loaded.get(route.name);
  const load = LAZY[route.name];

  useEffect(() => {
    if (Page || !load) return;
    let live = true;
    // Busy until the page's code is here and the page has started its own loads (next frame).
    const done = beginBusy();
    let arrived = false;
    setFailed(null);
    load().then(
      (m) => {
        arrived = true;
        loaded.set(route.name, m.default);
        if (live) setVersion((v) => v + 1);
        requestAnimationFrame(() => setTimeout(done, 0));
      },
      (err: unknown) => {
        if (live) setFailed(err);
        done();
      },
    );
    return () => {
      live = false;
      // Once the code is here, the frame callback above ends it (after the page starts loading).
      if (!arrived) done();
    };
  }, [route.name, Page, load]);

  useFocusHeading(loc.path, Page !== undefined);

  if (route.name === 'home') return <Loading />;
  if (failed) {
    return (
      <ErrorBox
        title="This page could not be loaded."
        error={failed}
        retry={() => window.location.reload()}
      />
    );
  }
  if (!Page) return <Loading what="Loading the page" />;
  return <Page key={loc.path} params={route.params} loc={loc} />;
}

export function App() {
  const loc = useLocation();
  const route = matchRoute(loc.path);
  const busy = useBusy();

  useEffect(() => {
    if (route.name === 'home') navigate(`/overview${loc.search}`, { replace: true });
  }, [route.name, loc.search]);

  const signedOutView = route.name === 'signin';
  const onSignOut = async () => {
    await signOut();
    navigate('/signin');
  };

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link href="/overview" class="brand">
          keywatch
        </Link>
        {!signedOutView && (
          <nav aria-label="Main">
            <ul>
              {NAV.map((n) => (
                <li key={n.href}>
                  <Link href={n.href} aria-current={n.routes.includes(route.name) ? 'page' : undefined}>
                    {n.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {!signedOutView && (
          <button type="button" class="secondary signout" onClick={onSignOut}>
            Sign out
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1} aria-busy={busy ? 'true' : 'false'}>
        <RouteView loc={loc} />
      </main>
    </>
  );
}
