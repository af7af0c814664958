import { Link } from '../components/Link.tsx';
import { useTitle } from '../hooks.ts';

export default function NotFound() {
  useTitle('Not found');
  return (
    <>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>There is no page at this address.</p>
      <p>
        <Link href="/overview">Go to the overview</Link>
      </p>
    </>
  );
}
