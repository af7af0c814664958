import { asc, desc, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/** Where a page ended: the last row's sort time (to the microsecond, as Postgres has it) and id. */
export interface PagePosition {
  at: string;
  id: string;
}

/** Which rows a list reads: at most `limit` (none: all of them), strictly after `after`. */
export interface PageRequest {
  limit?: number | undefined;
  after?: PagePosition | undefined;
}

/** A page's rows, and where the next page starts (null at the end). */
export interface Page<T> {
  rows: T[];
  next: PagePosition | null;
}

/**
 * Keyset pagination on (a time column, id) in the list's order: a page starts strictly after the
 * previous page's last row, so rows written meanwhile never shift or repeat what follows.
 */
export function keyset(order: 'asc' | 'desc', time: PgColumn, id: PgColumn, { limit, after }: PageRequest) {
  const position = after && sql`(${time}, ${id})`;
  const from = after && sql`(${after.at}::timestamptz, ${after.id}::uuid)`;
  return {
    /** Selected beside each row: JavaScript dates stop at milliseconds, Postgres times do not. */
    at: sql<string>`to_char(${time} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    where: (position && (order === 'desc' ? sql`${position} < ${from}` : sql`${position} > ${from}`)) as
      | SQL
      | undefined,
    orderBy: order === 'desc' ? [desc(time), desc(id)] : [asc(time), asc(id)],
    /** One row past the page, to know whether another follows. */
    fetch: limit === undefined ? undefined : limit + 1,
    /** The page's rows and where the next page starts. */
    page<T extends { id: string }>(fetched: { row: T; at: string }[]): Page<T> {
      const more = limit !== undefined && fetched.length > limit;
      const rows = more ? fetched.slice(0, limit) : fetched;
      const last = rows.at(-1);
      return { rows: rows.map((r) => r.row), next: more && last ? { at: last.at, id: last.row.id } : null };
    },
  };
}
