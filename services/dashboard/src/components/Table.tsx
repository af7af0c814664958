/**
 * A data table: a caption, column headers with scope (sortable ones are buttons and say how
 * they sort with aria-sort), an optional row header column. Wide tables scroll inside a
 * focusable region so keyboard users can scroll them too.
 */
import type { ComponentChildren } from 'preact';

export interface Column<R> {
  id: string;
  label: ComponentChildren;
  /** Text for the sort button's accessible name when the label is not plain text. */
  sortLabel?: string;
  render: (row: R) => ComponentChildren;
  sortable?: boolean;
  numeric?: boolean;
  /** This column names the row (`<th scope="row">`). */
  rowHeader?: boolean;
}

export interface SortState {
  column: string;
  dir: 'asc' | 'desc';
}

interface Props<R> {
  caption: ComponentChildren;
  /** The caption is there for screen readers only (a heading above says it). */
  captionHidden?: boolean;
  /** The scroll region's name (unique on the page). */
  label: string;
  /**
   * Wrap in a focusable, named scroll region (for wide tables); false for small tables repeated
   * on a page (e.g. each alert's deliveries), which wrap their text instead.
   */
  scroll?: boolean;
  columns: readonly Column<R>[];
  rows: readonly R[];
  rowKey: (row: R) => string;
  sort?: SortState | undefined;
  onSort?: ((column: string) => void) | undefined;
  empty?: ComponentChildren;
  class?: string;
}

export function Table<R>({
  caption,
  captionHidden,
  label,
  columns,
  rows,
  rowKey,
  sort,
  onSort,
  empty,
  class: cls,
  scroll = true,
}: Props<R>) {
  const table = (
    <table class={cls}>
      <caption class={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => {
            const sorted = sort?.column === c.id ? sort.dir : undefined;
            return (
              <th
                key={c.id}
                scope="col"
                class={c.numeric ? 'num' : undefined}
                aria-sort={sorted ? (sorted === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                {c.sortable && onSort ? (
                  <button type="button" class="sort-button" onClick={() => onSort(c.id)}>
                    {c.label}
                    <span class="sort-mark" aria-hidden="true">
                      {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                    </span>
                  </button>
                ) : (
                  c.label
                )}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={columns.length} class="empty">
              {empty ?? 'Nothing to show.'}
            </td>
          </tr>
        ) : (
          rows.map((r) => (
            <tr key={rowKey(r)}>
              {columns.map((c) =>
                c.rowHeader ? (
                  <th key={c.id} scope="row" class={c.numeric ? 'num' : undefined}>
                    {c.render(r)}
                  </th>
                ) : (
                  <td key={c.id} class={c.numeric ? 'num' : undefined}>
                    {c.render(r)}
                  </td>
                ),
              )}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
  if (!scroll) return <div class="table-fit">{table}</div>;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard.
    <section class="table-wrap" aria-label={`${label} (table)`} tabIndex={0}>
      {table}
    </section>
  );
}
