import { asc, desc, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';

/** Where a page ended: the last row's sort time (to the microsecond, as Postgres has it) and id. */
const position = z.strictObject({ at: z.iso.datetime(), id: z.uuid() });
type Position = z.output<typeof position>;

/** Opaque to clients: base64url of the position's JSON. */
const encode = (p: Position) => Buffer.from(JSON.stringify(p)).toString('base64url');

const cursor = z.string().transform((text, ctx) => {
  try {
    const parsed = position.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: refused below like any other stranger
  }
  ctx.addIssue({ code: 'custom', message: 'is not a nextCursor this list answered' });
  return z.NEVER;
});

export const MAX_PAGE = 1000;
/** The page size when a cursor comes without a limit. */
const DEFAULT_PAGE = 100;

/** The query fields of every list route; give either and the answer is a page. */
export const pageFields = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE)
    .optional()
    .describe(`Rows per page (at most ${MAX_PAGE}); without limit and cursor, the whole list`),
  cursor: cursor.optional().describe('The `nextCursor` of the previous page'),
};

/** Beside each list's array: where the next page starts. */
const nextCursorField = z.string().nullable().describe('Pass as `cursor` for the next page; null at the end');

/** A list route's answer: `{ <items>: [...], nextCursor }`, its example made from the item's. */
export function pageOf<F extends string, T extends z.ZodType>(items: F, item: T) {
  const example = (z.globalRegistry.get(item)?.examples as unknown[] | undefined)?.[0];
  return z
    .object({ [items]: z.array(item), nextCursor: nextCursorField } as { [K in F]: z.ZodArray<T> } & {
      nextCursor: typeof nextCursorField;
    })
    .meta({ description: `A page of ${items}`, examples: [{ [items]: [example], nextCursor: null }] });
}

/**
 * Keyset pagination on (a time column, id) in the list's order: a page starts strictly after the
 * previous page's last row, so rows written meanwhile never shift or repeat what follows. Without
 * a limit and a cursor, the whole list (one page).
 */
export function keyset(
  order: 'asc' | 'desc',
  time: PgColumn,
  id: PgColumn,
  page: { limit?: number; cursor?: Position },
) {
  const limit = page.limit ?? (page.cursor ? DEFAULT_PAGE : undefined);
  const after = page.cursor && sql`(${time}, ${id})`;
  const from = page.cursor && sql`(${page.cursor.at}::timestamptz, ${page.cursor.id}::uuid)`;
  return {
    /** Selected beside each row: JavaScript dates stop at milliseconds, Postgres times do not. */
    at: sql<string>`to_char(${time} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    where: (after && (order === 'desc' ? sql`${after} < ${from}` : sql`${after} > ${from}`)) as
      | SQL
      | undefined,
    orderBy: order === 'desc' ? [desc(time), desc(id)] : [asc(time), asc(id)],
    /** One row past the page, to know whether another follows. */
    fetch: limit === undefined ? undefined : limit + 1,
    /** The page's rows and the cursor of the next page (null at the end). */
    page<T extends { id: string }>(fetched: { row: T; at: string }[]) {
      const more = limit !== undefined && fetched.length > limit;
      const rows = more ? fetched.slice(0, limit) : fetched;
      const last = rows.at(-1);
      return {
        rows: rows.map((r) => r.row),
        nextCursor: more && last ? encode({ at: last.at, id: last.row.id }) : null,
      };
    },
  };
}
