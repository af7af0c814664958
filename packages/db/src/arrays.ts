import { type SQL, sql } from 'drizzle-orm';

/**
 * A whole column of values as ONE parameter (a Postgres array literal), for `unnest(...)`: a
 * statement with thousands of rows then has a handful of parameters and one short text to parse,
 * instead of a placeholder per value. drizzle hands postgres.js strings, so the literal is built here.
 */
export function column(values: readonly (string | number | null)[], type: string): SQL {
  let literal = '{';
  for (const [i, v] of values.entries()) {
    if (i > 0) literal += ',';
    if (v === null) literal += 'NULL';
    else if (typeof v === 'number') literal += String(v);
    else literal += `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  }
  return sql`${`${literal}}`}::${sql.raw(type)}[]`;
}
