import { getTableColumns, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

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

type ColumnsOf<T extends PgTable> = T['_']['columns'];
type ColumnValues = readonly (string | number | null)[];

/**
 * `<column> = <value>, …` for an `update … set` or a `do update set`, the names taken from the
 * table's drizzle schema (bare, as Postgres wants them there).
 */
export function assignments<T extends PgTable>(
  table: T,
  values: { [K in keyof ColumnsOf<T>]?: SQL | SQLWrapper },
): SQL {
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  return sql.join(
    Object.entries(values as Record<string, SQL | SQLWrapper>).map(
      ([key, value]) => sql`${sql.identifier(columns[key]!.name)} = ${value}`,
    ),
    sql`, `,
  );
}

/** `excluded.<column>` in an `on conflict … do update`: the value the insert proposed for it. */
export const excluded = (column: PgColumn): SQL => sql`excluded.${sql.identifier(column.name)}`;

/** Rows given column by column, as `unnest(…) as <alias>(…)`, and a reference to each of their columns. */
export interface UnnestedRows<K extends string> {
  /** `unnest(…) as <alias>(…)`, to select from or to join in an `update … from`. */
  from: SQL;
  /** `<alias>.<name>`: a column of the rows. */
  ref: { [P in K]: SQL };
}

/**
 * Rows to join (`update … from`), given column by column, each column one array parameter (see
 * `column`). Each array takes its SQL type from the table column it stands for, so a changed
 * column type changes it too; a value that no column holds names its type.
 */
export function unnestRows<K extends string>(
  alias: string,
  columns: { [P in K]: readonly [like: PgColumn | string, values: ColumnValues] },
): UnnestedRows<K> {
  const given = Object.entries(columns) as [K, readonly [PgColumn | string, ColumnValues]][];
  const ref = Object.fromEntries(
    given.map(([name]) => [name, sql`${sql.identifier(alias)}.${sql.identifier(name)}`]),
  ) as { [P in K]: SQL };
  const from = sql`unnest(${sql.join(
    given.map(([, [like, values]]) => column(values, typeof like === 'string' ? like : like.getSQLType())),
    sql`, `,
  )}) as ${sql.identifier(alias)}(${sql.join(
    given.map(([name]) => sql.identifier(name)),
    sql`, `,
  )})`;
  return { from, ref };
}

/** What a conflicting row becomes: kept, summed column by column, or an explicit `do update`. */
export type OnConflict<T extends PgTable> = 'do nothing' | { add: (keyof ColumnsOf<T>)[] } | SQL;

/**
 * `insert into … select * from unnest(…) on conflict (…) …`, any number of rows as one array
 * parameter per column, with the table's column names and types taken from its drizzle schema (a
 * renamed column cannot leave a stale string here). Null when there are no rows.
 */
export function unnestUpsert<T extends PgTable>(
  table: T,
  values: { [K in keyof ColumnsOf<T>]?: ColumnValues },
  target: (keyof ColumnsOf<T>)[],
  onConflict: OnConflict<T>,
): SQL | null {
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const given = Object.entries(values as Record<string, ColumnValues>);
  if (given.length === 0 || given[0]![1].length === 0) return null;
  const name = (key: PropertyKey) => sql.identifier(columns[key as string]!.name);
  const action =
    onConflict === 'do nothing'
      ? sql`do nothing`
      : 'add' in onConflict
        ? sql`do update set ${sql.join(
            onConflict.add.map((key) => sql`${name(key)} = ${table}.${name(key)} + excluded.${name(key)}`),
            sql`, `,
          )}`
        : onConflict;
  return sql`insert into ${table} (${sql.join(
    given.map(([key]) => name(key)),
    sql`, `,
  )}) select * from unnest(${sql.join(
    given.map(([key, list]) => column(list, columns[key]!.getSQLType())),
    sql`, `,
  )}) on conflict (${sql.join(target.map(name), sql`, `)}) ${action}`;
}
