/**
 * postgres.js asks each new connection for the catalog's array types and drops that query's
 * promise (porsager/postgres#1192). When Postgres goes away in that instant, the rejection is
 * unhandled, though the query that wanted the connection fails on its own and is handled where it
 * was made. This tells that one rejection apart, so a process can shrug it off instead of ending
 * (a verifier serving cached keys through a Postgres outage, for one). No imports: the test
 * runner's configuration reads it too.
 */
export function isDroppedTypeFetch(reason: unknown): boolean {
  const query = (reason as { query?: unknown } | null)?.query;
  return typeof query === 'string' && query.includes('pg_catalog.pg_type') && query.includes('typarray');
}
