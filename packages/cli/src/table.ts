/** A value as the API gives it: null, undefined and '' show as `-`. */
export type Cell = string | number | null | undefined;

export interface Column<T> {
  header: string;
  value(row: T): Cell;
  /** Right for a column of numbers (the default when its values are numbers), left otherwise. */
  align?: 'left' | 'right';
}

const NONE = '-';

/** `2026-11-29T15:41:02.511Z` → `2026-11-29 15:41` (UTC, as the API answers); anything else as given. */
export const shortTime = (iso: string | null | undefined): string | null =>
  iso ? iso.replace(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:[\d.]+)?Z$/, '$1 $2') : null;

function text(cell: Cell): string {
  if (cell === null || cell === undefined || cell === '') return NONE;
  // Names and reasons are typed by people: a newline or a terminal escape is shown, not obeyed.
  return String(cell).replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const pad = (s: string, to: number, right: boolean) => (right ? s.padStart(to) : s.padEnd(to));

/**
 * Rows under their headers, columns two spaces apart. The header is printed even without rows,
 * so an empty answer still says what it lists.
 */
export function table<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const values = rows.map((row) => columns.map((c) => c.value(row)));
  const right = columns.map(
    (column, i) =>
      column.align === 'right' ||
      (column.align === undefined &&
        values.some((r) => typeof r[i] === 'number') &&
        values.every((r) => typeof r[i] === 'number' || r[i] === null || r[i] === undefined)),
  );
  const lines = [columns.map((c) => c.header), ...values.map((r) => r.map(text))];
  const widths = columns.map((_, i) => Math.max(...lines.map((line) => line[i]!.length)));
  return lines
    .map((line) =>
      line
        .map((cell, i) => pad(cell, widths[i]!, right[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** One record for people: a `label:  value` line per field, the values aligned. */
export function fields(pairs: readonly (readonly [label: string, value: Cell])[]): string {
  const labelWidth = Math.max(0, ...pairs.map(([label]) => label.length + 1));
  return pairs.map(([label, value]) => `${pad(`${label}:`, labelWidth, false)}  ${text(value)}`).join('\n');
}
