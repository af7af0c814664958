import type { PagePosition, PageRequest } from '@keywatch/db';
import { z } from 'zod';

/** Where a page ended: the last row's sort time (to the microsecond, as Postgres has it) and id. */
const position = z.strictObject({ at: z.iso.datetime(), id: z.uuid() });
type Position = z.output<typeof position>;

/** Opaque to clients: base64url of the position's JSON. */
const encode = (p: PagePosition) => Buffer.from(JSON.stringify(p)).toString('base64url');

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

/** The rows a list route's query asks for: with a cursor but no limit, a page of DEFAULT_PAGE. */
export const pageRequest = (query: {
  limit?: number | undefined;
  cursor?: Position | undefined;
}): PageRequest => ({
  limit: query.limit ?? (query.cursor ? DEFAULT_PAGE : undefined),
  after: query.cursor,
});

/** The `nextCursor` of a list's answer: where its next page starts, opaque; null at the end. */
export const nextCursorOf = (next: PagePosition | null): string | null => (next ? encode(next) : null);
