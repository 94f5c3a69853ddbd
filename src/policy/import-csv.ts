// Imported users: CSV with columns username,email,display_name,state,groups (groups split on ';'). Pure.
import { canonical } from '../model/identity.ts';
import { parse } from 'csv-parse/sync';
import type { Diagnostic } from './diagnostics.ts';
import type { DeclaredUser } from './resolved.ts';

const COLUMNS = ['username', 'email', 'display_name', 'state', 'groups'] as const;
const STATES = ['active', 'inactive', 'absent'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseImportCsv(
  text: string,
  file: string,
): { users: DeclaredUser[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const err = (line: number, col: number, field: string, message: string) =>
    diagnostics.push({ severity: 'error', file, line, col, field, message });
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      trim: true,
    }) as string[][];
  } catch (e) {
    const ce = e as { lines?: number; message: string };
    err(ce.lines ?? 1, 1, '', `reading CSV: ${ce.message}`);
    return { users: [], diagnostics };
  }
  const header = (rows[0] ?? []).map((h) => h.toLowerCase());
  if (!header.includes('username')) {
    err(
      1,
      1,
      '',
      `the header must name the columns ${COLUMNS.join(',')} (username is required), got ${JSON.stringify(header.join(','))}`,
    );
    return { users: [], diagnostics };
  }
  header.forEach((h, i) => {
    if (!(COLUMNS as readonly string[]).includes(h))
      err(1, i + 1, h, `unknown column (expected ${COLUMNS.join(',')})`);
  });
  const idx = (c: (typeof COLUMNS)[number]) => header.indexOf(c);
  const users: DeclaredUser[] = [];
  const seen = new Map<string, number>();
  // Lines are counted by records: quoted fields with newlines are rejected, so record n sits on line n+1.
  rows.slice(1).forEach((row, r) => {
    const line = r + 2;
    const cell = (c: (typeof COLUMNS)[number]) => (idx(c) >= 0 ? (row[idx(c)] ?? '') : '');
    const name = cell('username');
    if (!name) return err(line, idx('username') + 1, 'username', 'expected a username, got an empty cell');
    if (/[\r\n]/.test(row.join(''))) return err(line, 1, '', 'cells must not contain line breaks');
    const first = seen.get(canonical(name));
    if (first !== undefined)
      return err(line, idx('username') + 1, 'username', `"${name}" is already listed on line ${first}`);
    seen.set(canonical(name), line);
    const email = cell('email');
    if (email && !EMAIL.test(email))
      err(line, idx('email') + 1, 'email', `expected an email address, got ${JSON.stringify(email)}`);
    const state = (cell('state') || 'active').toLowerCase();
    if (!(STATES as readonly string[]).includes(state)) {
      err(
        line,
        idx('state') + 1,
        'state',
        `expected one of ${STATES.join(' | ')}, got ${JSON.stringify(cell('state'))}`,
      );
      return;
    }
    const groups = cell('groups')
      .split(';')
      .map((g) => g.trim())
      .filter(Boolean);
    users.push({
      name,
      email: email || null,
      displayName: cell('display_name') || null,
      state: state as DeclaredUser['state'],
      groups,
      ref: { type: 'import', file, line, name },
    });
  });
  return { users, diagnostics };
}
