/**
 * CSV built in the browser (RFC 4180: CRLF line ends, a field with a comma, quote or line break
 * quoted, quotes doubled) and safe to open in a spreadsheet: a text cell starting with = + - @
 * (or a tab or carriage return) is prefixed with ' so it is never taken as a formula. Numbers
 * are written as numbers.
 */

export type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = value;
  if (FORMULA_START.test(text)) text = `'${text}`;
  if (/[",\r\n]/.test(text)) text = `"${text.replaceAll('"', '""')}"`;
  return text;
}

/** A header row and the data rows, as one CSV text. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
