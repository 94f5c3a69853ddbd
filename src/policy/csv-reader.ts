// A CSV reader for files people give the tool (imports): RFC 4180 quoting, `,` or `;` as the delimiter (taken from
// the header line, as spreadsheets write it in their locale), LF, CRLF or CR line ends, a UTF-8 byte order mark
// dropped, and every cell with the line and column it starts at, so a problem is reported where it is. Text that
// is not UTF-8 (UTF-16, Latin-1) and cells beyond a size are refused with a clear message instead of read as
// garbage; a huge cell is not kept in memory. Pure.
import type { Diagnostic } from './diagnostics.ts';

export interface CsvCell {
  value: string;
  line: number;
  /** Where the cell starts (its opening quote, when quoted). */
  col: number;
  quoted?: boolean;
}

export interface CsvRow {
  /** The line the row starts on. */
  line: number;
  cells: CsvCell[];
}

export interface CsvReadOptions {
  /** Longest cell accepted, in characters. */
  maxCell?: number;
}

export const MAX_CELL = 1024;

export interface CsvRead {
  delimiter: ',' | ';';
  rows: CsvRow[];
  diagnostics: Diagnostic[];
}

/** Line and column (1-based) of an offset. */
function position(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: offset - start + 1 };
}

/** Why the text is not UTF-8 CSV (it was decoded as UTF-8: replacement characters and NULs betray it), or null. */
export function encodingProblem(text: string, file: string): Diagnostic | null {
  const at = (offset: number, message: string): Diagnostic => ({
    severity: 'error',
    file,
    ...position(text, offset),
    field: '',
    message,
  });
  const save = 'save it as "CSV UTF-8" (comma or semicolon delimited)';
  if (text.startsWith('\uFFFD\uFFFD') || text.includes('\u0000'))
    return at(0, `the file is UTF-16 (it has NUL bytes or a UTF-16 byte order mark), not UTF-8; ${save}`);
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0)
    return at(
      bad,
      `a byte that is not UTF-8 (the file looks Latin-1 or Windows-1252 encoded, as older spreadsheets save it); ${save}`,
    );
  return null;
}

/** `;` when the header line has more semicolons than commas outside quotes, else `,`. */
function delimiterOf(text: string): ',' | ';' {
  let commas = 0;
  let semis = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semis++;
  }
  return semis > commas ? ';' : ',';
}

export function readCsv(input: string, file: string, o: CsvReadOptions = {}): CsvRead {
  const maxCell = o.maxCell ?? MAX_CELL;
  const diagnostics: Diagnostic[] = [];
  const encoding = encodingProblem(input, file);
  if (encoding) return { delimiter: ',', rows: [], diagnostics: [encoding] };
  const bom = input.startsWith('\uFEFF') ? 1 : 0;
  const text = input;
  const delimiter = delimiterOf(text.slice(bom));
  const d = delimiter.charCodeAt(0);
  const rows: CsvRow[] = [];
  const err = (line: number, col: number, message: string) =>
    diagnostics.push({ severity: 'error', file, line, col, field: '', message });

  let line = 1;
  let lineStart = bom; // the BOM is not a column
  let i = bom;
  const n = text.length;
  let cells: CsvCell[] = [];
  let rowLine = 1;
  while (i <= n) {
    // One cell, starting at i.
    let start = i;
    while (start < n && (text[start] === ' ' || text[start] === '\t')) start++;
    const cell: CsvCell = { value: '', line, col: start - lineStart + 1 };
    let value = '';
    let tooLong = false;
    const add = (s: string) => {
      if (tooLong) return;
      if (value.length + s.length > maxCell) {
        tooLong = true;
        err(
          cell.line,
          cell.col,
          `a cell longer than ${maxCell} characters (the longest name or email accepted)`,
        );
        return;
      }
      value += s;
    };
    if (text[start] === '"') {
      cell.quoted = true;
      let j = start + 1;
      let closed = false;
      while (j < n) {
        const ch = text.charCodeAt(j);
        if (ch === 34) {
          if (text.charCodeAt(j + 1) === 34) {
            add('"');
            j += 2;
            continue;
          }
          closed = true;
          j++;
          break;
        }
        if (ch === 10 || (ch === 13 && text.charCodeAt(j + 1) !== 10)) {
          line++;
          lineStart = j + 1;
        }
        // Long runs without quotes are added at once.
        let k = j;
        while (k < n && k - j < 4096) {
          const c = text.charCodeAt(k);
          if (c === 34 || c === 10 || c === 13) break;
          k++;
        }
        if (k === j) {
          add(text[j]!);
          j++;
        } else {
          add(text.slice(j, k));
          j = k;
        }
      }
      if (!closed) {
        err(cell.line, cell.col, 'a quoted cell is never closed (a " is missing)');
        i = n + 1;
        break;
      }
      // After the closing quote: spaces, then the delimiter or the end of the line.
      while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
      if (j < n && text.charCodeAt(j) !== d && text[j] !== '\n' && text[j] !== '\r') {
        const p = { line, col: j - lineStart + 1 };
        err(
          p.line,
          p.col,
          'text after a closing quote: quote the whole cell and double the quotes in it ("")',
        );
        while (j < n && text.charCodeAt(j) !== d && text[j] !== '\n' && text[j] !== '\r') j++;
      }
      i = j;
    } else {
      let j = start;
      while (j < n) {
        const ch = text.charCodeAt(j);
        if (ch === d || ch === 10 || ch === 13) break;
        if (ch === 34) {
          err(
            line,
            j - lineStart + 1,
            'a quote inside an unquoted cell: quote the whole cell and double the quote ("O""Brien")',
          );
        }
        j++;
      }
      add(text.slice(start, j).trimEnd());
      i = j;
    }
    cell.value = tooLong ? value.slice(0, 64) : value;
    cells.push(cell);
    // The delimiter, a line end, or the end of the text.
    if (i < n && text.charCodeAt(i) === d) {
      i++;
      continue;
    }
    if (cells.some((c) => c.value !== '')) rows.push({ line: rowLine, cells });
    cells = [];
    if (i >= n) break;
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
    line++;
    lineStart = i;
    rowLine = line;
  }
  return { delimiter, rows, diagnostics };
}
