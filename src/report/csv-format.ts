// How every CSV file is written, whole or streamed. Pure.
//
// Format: RFC 4180 quoting by csv-stringify (fields with a comma, quote or line break are quoted), header row
// first, UTF-8 without BOM, and LF line endings (also after the last row). LF rather than RFC 4180's CRLF: every
// spreadsheet and CSV parser reads it, it diffs cleanly in Git, and the audit trail can be appended to line by
// line. Every cell goes through neutraliseCsvCell (OWASP CSV injection), so no value starting with = + - @ TAB or
// CR reaches a spreadsheet as a formula.
import { stringify } from 'csv-stringify/sync';
import { neutraliseCsvCell } from './escape.ts';

export type Cell = string | number | boolean | null | undefined;

/** A row as written: every cell neutralised (no formula reaches a spreadsheet). */
export function csvRecord(columns: readonly string[], row: Record<string, Cell>): Record<string, string> {
  return Object.fromEntries(columns.map((c) => [c, neutraliseCsvCell(row[c])]));
}

/** The csv-stringify options of every file (also when streamed): header, LF, a last LF. */
export function csvOptions(columns: readonly string[], header = true) {
  return { header, columns: [...columns], record_delimiter: 'unix', eof: true } as const;
}

/** A whole file (or, without header, lines to append) from rows; neutralised. */
export function toCsv(
  columns: readonly string[],
  rows: Iterable<Record<string, Cell>>,
  header: boolean,
): string {
  return stringify(
    [...rows].map((row) => csvRecord(columns, row)),
    csvOptions(columns, header),
  );
}
