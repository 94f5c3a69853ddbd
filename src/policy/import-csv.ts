// Imported users (`import: [{ csv: FILE }]`): columns username,email,display_name,state,groups (groups split on
// ';'), or an edited inventory.csv of `aup export` (its other columns are read-only facts and are ignored; `active`
// stands for `state` when there is no `state` column). Every problem is reported as file:line:column with the field.
// Cells aup wrote neutralised ('=…) are read back as they were. Pure.
import { canonical } from '../model/identity.ts';
import { didYouMean } from '../model/suggest.ts';
import { plural } from '../plural.ts';
import { type CsvCell, readCsv } from './csv-reader.ts';
import type { Diagnostic } from './diagnostics.ts';
import type { DeclaredUser } from './resolved.ts';

export const IMPORT_COLUMNS = ['username', 'email', 'display_name', 'state', 'groups'] as const;
/** inventory.csv's columns besides the import's: facts of the instance, ignored on import (`active` → state). */
export const INVENTORY_ONLY_COLUMNS = [
  'id',
  'active',
  'last_active',
  'days_inactive',
  'never_logged_in',
  'created',
  'directory',
  'read_only',
  'licensed_access',
] as const;
const STATES = ['active', 'inactive', 'absent'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A cell aup neutralised for spreadsheets ('=x): the value is what follows the quote. */
const NEUTRALISED = /^'[=+\-@\t\r]/;
const FORMULA = /^[=+\-@]/;
/** Diagnostics shown per file; the rest are counted in one last line. */
export const MAX_DIAGNOSTICS = 100;

type Column = (typeof IMPORT_COLUMNS)[number] | (typeof INVENTORY_ONLY_COLUMNS)[number];

export interface ImportSummary {
  rows: number;
  states: Record<DeclaredUser['state'], number>;
  groups: string[];
}

export function parseImportCsv(
  text: string,
  file: string,
): { users: DeclaredUser[]; diagnostics: Diagnostic[]; summary: ImportSummary } {
  const diagnostics: Diagnostic[] = [];
  const summary: ImportSummary = { rows: 0, states: { active: 0, inactive: 0, absent: 0 }, groups: [] };
  const users: DeclaredUser[] = [];
  const at = (severity: Diagnostic['severity'], c: { line: number; col: number }, field: string, m: string) =>
    diagnostics.push({ severity, file, line: c.line, col: c.col, field, message: m });
  const done = () => ({ users, diagnostics: capped(diagnostics, file), summary });

  const csv = readCsv(text, file);
  for (const item of csv.diagnostics) diagnostics.push(item);
  const [head, ...body] = csv.rows;
  if (!head) {
    if (csv.diagnostics.length === 0)
      at(
        'error',
        { line: 1, col: 1 },
        '',
        `the file has no header line (expected ${IMPORT_COLUMNS.join(',')})`,
      );
    return done();
  }
  // Trailing empty header cells (a spreadsheet's trailing delimiters) name no column.
  let width = head.cells.length;
  while (width > 0 && head.cells[width - 1]!.value === '') width--;
  const known = [...IMPORT_COLUMNS, ...INVENTORY_ONLY_COLUMNS] as readonly string[];
  const columns = new Map<Column, number>();
  head.cells.slice(0, width).forEach((c, i) => {
    const name = c.value.toLowerCase();
    if (!known.includes(name)) {
      at('error', c, name, `unknown column${didYouMean(name, known)} (expected ${IMPORT_COLUMNS.join(',')})`);
    } else if (columns.has(name as Column)) {
      at(
        'error',
        c,
        name,
        `column ${name} is named twice (first in column ${columns.get(name as Column)! + 1})`,
      );
    } else columns.set(name as Column, i);
  });
  if (!columns.has('username')) {
    at(
      'error',
      head.cells[0] ?? { line: head.line, col: 1 },
      '',
      `the header must name the column username (and may name ${IMPORT_COLUMNS.slice(1).join(',')}); got ${JSON.stringify(head.cells.map((c) => c.value).join(csv.delimiter))}${csv.delimiter === ',' && head.cells.length === 1 && head.cells[0]!.value.includes('\t') ? ' (tab-separated files are not read: save as CSV)' : ''}`,
    );
    return done();
  }
  if (diagnostics.some((d) => d.severity === 'error' && d.line === head.line)) return done();
  const stateFrom = columns.has('state') ? 'state' : columns.has('active') ? 'active' : null;

  const seen = new Map<string, number>();
  const emails = new Map<string, number>();
  const groupNames = new Map<string, string>();
  const inactiveWithGroups: CsvCell[] = [];
  for (const row of body) {
    const cellOf = (c: Column): CsvCell | null => {
      const i = columns.get(c);
      return i === undefined ? null : (row.cells[i] ?? { value: '', line: row.line, col: 1 });
    };
    const value = (c: Column) => unneutralised(cellOf(c)?.value ?? '');
    const extra = row.cells.slice(width).find((c) => c.value !== '');
    if (row.cells.length < width || extra) {
      const where = extra ?? row.cells[row.cells.length - 1]!;
      at(
        'error',
        where,
        '',
        `the row has ${plural(row.cells.filter((c, i) => i < width || c.value !== '').length, 'cell')}, the header ${plural(width, 'column')}${csv.delimiter === ';' ? ' (a cell holding ";" must be quoted)' : ' (a cell holding "," must be quoted)'}`,
      );
      continue;
    }
    summary.rows++;
    const nameCell = cellOf('username')!;
    const name = value('username');
    if (!name) {
      at('error', nameCell, 'username', 'expected a username, got an empty cell');
      continue;
    }
    for (const c of IMPORT_COLUMNS) {
      const cell = cellOf(c);
      if (!cell) continue;
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(cell.value)) {
        at('error', cell, c, 'cells must not contain line breaks or control characters');
      } else if (FORMULA.test(cell.value)) {
        at(
          'warning',
          cell,
          c,
          `starts with "${cell.value[0]}", which a spreadsheet runs as a formula: it is read as text, and every CSV aup writes neutralises it`,
        );
      }
    }
    const first = seen.get(canonical(name));
    if (first !== undefined) {
      at('error', nameCell, 'username', `"${name}" is already listed on line ${first}`);
      continue;
    }
    seen.set(canonical(name), row.line);
    const emailCell = cellOf('email');
    const email = value('email');
    if (email && !EMAIL.test(email))
      at('error', emailCell!, 'email', `expected an email address, got ${JSON.stringify(email)}`);
    else if (email) {
      const prior = emails.get(canonical(email));
      if (prior !== undefined)
        at('warning', emailCell!, 'email', `${email} is also the email of the row on line ${prior}`);
      else emails.set(canonical(email), row.line);
    }
    const state = stateOf(stateFrom, value(stateFrom ?? 'state'));
    if (!state.ok) {
      at('error', cellOf(stateFrom!)!, stateFrom!, state.message);
      continue;
    }
    const groupsCell = cellOf('groups');
    const groups = splitGroups(groupsCell);
    if (state.value !== 'active' && groups.length > 0) {
      if (stateFrom === 'state') {
        at(
          'error',
          groupsCell!,
          'groups',
          `groups are only managed for users with state active, got state ${state.value}`,
        );
        continue;
      }
      inactiveWithGroups.push(groupsCell!);
    }
    const managed = state.value === 'active' ? groups : [];
    for (const g of managed)
      if (!groupNames.has(canonical(g.name))) groupNames.set(canonical(g.name), g.name);
    summary.states[state.value]++;
    users.push({
      name,
      email: email || null,
      displayName: value('display_name') || null,
      state: state.value,
      groups: managed.map((g) => g.name),
      ref: { type: 'import', file, line: row.line, name },
      cells: {
        username: nameCell.col,
        ...(emailCell ? { email: emailCell.col } : {}),
        groups: managed.map((g) => g.col),
      },
    });
  }
  if (inactiveWithGroups.length > 0)
    at(
      'warning',
      inactiveWithGroups[0]!,
      'groups',
      `${plural(inactiveWithGroups.length, 'row')} with active false list groups (first on line ${inactiveWithGroups[0]!.line}): groups are managed for active users only, so those cells add no one to a group, and a group the policy manages as exact does not keep such a user`,
    );
  summary.groups = [...groupNames.values()];
  return done();
}

function unneutralised(value: string): string {
  return NEUTRALISED.test(value) ? value.slice(1) : value;
}

type StateOf = { ok: true; value: DeclaredUser['state'] } | { ok: false; message: string };

function stateOf(column: 'state' | 'active' | null, raw: string): StateOf {
  if (column === null || raw === '') return { ok: true, value: 'active' };
  const v = raw.toLowerCase();
  if (column === 'active') {
    if (v === 'true') return { ok: true, value: 'active' };
    if (v === 'false') return { ok: true, value: 'inactive' };
    return { ok: false, message: `expected true or false, got ${JSON.stringify(raw)}` };
  }
  if ((STATES as readonly string[]).includes(v)) return { ok: true, value: v as DeclaredUser['state'] };
  return { ok: false, message: `expected one of ${STATES.join(' | ')}, got ${JSON.stringify(raw)}` };
}

/** The groups of a cell, each with the column it starts at. */
function splitGroups(cell: CsvCell | null): { name: string; col: number }[] {
  if (!cell) return [];
  const out: { name: string; col: number }[] = [];
  let offset = cell.quoted ? 1 : 0;
  for (const part of cell.value.split(';')) {
    const name = unneutralised(part.trim());
    if (name) out.push({ name, col: cell.col + offset + (part.length - part.trimStart().length) });
    offset += part.length + 1;
  }
  return out;
}

/** The first MAX_DIAGNOSTICS diagnostics, and a last one counting the others. */
function capped(ds: Diagnostic[], file: string): Diagnostic[] {
  if (ds.length <= MAX_DIAGNOSTICS) return ds;
  const rest = ds.slice(MAX_DIAGNOSTICS);
  const errors = rest.filter((d) => d.severity === 'error').length;
  return [
    ...ds.slice(0, MAX_DIAGNOSTICS),
    {
      severity: errors > 0 ? 'error' : 'warning',
      file,
      line: rest[0]!.line,
      col: 1,
      field: '',
      message: `… and ${plural(rest.length, 'more problem')} (${plural(errors, 'error')}) not shown: fix these first`,
    },
  ];
}
