// Reading audit.csv back: for `aup revert` (the inverse of what a run applied) and for closing what a killed
// run left in flight (was its change already audited?). Every row is checked; a damaged file is refused with
// the line and column named, never half-read.
import { existsSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CHANGE_KINDS, type ChangeKind, changeKey, OUTCOMES, type Outcome, type Platform } from '../model.ts';
import { PolicyError } from '../policy/diagnostics.ts';
import { AUDIT_COLUMNS } from '../report/csv.ts';
import { readInputText } from '../read-text.ts';

export const AUDIT_FILE = 'audit.csv';

/** One row of audit.csv, cells as written (CSV-injection quotes removed). */
export interface AuditRow {
  /** 1-based line of the row in the file. */
  line: number;
  timestamp: string;
  runId: string;
  trigger: string;
  actor: string;
  platform: Platform;
  instance: string;
  kind: ChangeKind;
  userId: string | null;
  username: string;
  email: string | null;
  /** Groups of the change (several for remove-access). */
  groups: string[];
  rule: string;
  reason: string;
  outcome: Outcome;
  error: string | null;
  commit: string | null;
  runUrl: string | null;
}

/** Neutralised cells start with a quote (CSV injection); read them back as written. */
const restore = (v: string | undefined): string => (v ?? '').replace(/^'(?=[=+\-@\t\r])/, '');

/** Pure: the rows of an audit.csv text, every one checked. Throws PolicyError naming file:line. */
export function parseAuditCsv(text: string, file: string): AuditRow[] {
  const fail = (line: number, field: string, message: string): never => {
    throw new PolicyError([{ severity: 'error', file, line, col: 1, field, message }]);
  };
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, {
      bom: true,
      skip_empty_lines: true,
      info: true,
      relax_column_count: false,
    }) as unknown as typeof rows;
  } catch (e) {
    return fail((e as { lines?: number }).lines ?? 1, '', `reading CSV: ${(e as Error).message}`);
  }
  const header = rows[0]?.record ?? [];
  if (header.length === 0) fail(1, '', 'the file is empty: expected the header of an audit.csv');
  const idx = Object.fromEntries(AUDIT_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof AUDIT_COLUMNS)[number],
    number
  >;
  for (const c of ['run_id', 'platform', 'instance', 'kind', 'username', 'outcome'] as const)
    if (idx[c] < 0)
      fail(
        1,
        c,
        `the header must name the columns of an audit.csv (${AUDIT_COLUMNS.join(',')}); ${c} is missing`,
      );
  return rows.slice(1).map(({ record, info }) => {
    const line = info.lines;
    const cell = (c: (typeof AUDIT_COLUMNS)[number]) => (idx[c] >= 0 ? restore(record[idx[c]]) : '');
    const kind = cell('kind');
    if (!(CHANGE_KINDS as readonly string[]).includes(kind))
      fail(
        line,
        'kind',
        `expected one of ${CHANGE_KINDS.join(' | ')}, got ${JSON.stringify(kind.slice(0, 80))}`,
      );
    const outcome = cell('outcome');
    if (!(OUTCOMES as readonly string[]).includes(outcome))
      fail(
        line,
        'outcome',
        `expected one of ${OUTCOMES.join(' | ')}, got ${JSON.stringify(outcome.slice(0, 80))}`,
      );
    if (!cell('username')) fail(line, 'username', 'expected a username, got an empty cell');
    const group = cell('group');
    const groups = group === '' ? [] : group.split(';');
    if ((kind === 'add-member' || kind === 'remove-member') && groups.length !== 1)
      fail(line, 'group', `a ${kind} row names exactly one group, got ${JSON.stringify(group.slice(0, 80))}`);
    const orNull = (v: string) => (v === '' ? null : v);
    return {
      line,
      timestamp: cell('timestamp'),
      runId: cell('run_id'),
      trigger: cell('trigger'),
      actor: cell('actor'),
      platform: cell('platform') as Platform,
      instance: cell('instance'),
      kind: kind as ChangeKind,
      userId: orNull(cell('user_id')),
      username: cell('username'),
      email: orNull(cell('email')),
      groups,
      rule: cell('rule'),
      reason: cell('reason'),
      outcome: outcome as Outcome,
      error: orNull(cell('error')),
      commit: orNull(cell('commit')),
      runUrl: orNull(cell('run_url')),
    };
  });
}

/** The changeKey of the change an audit row records. */
export function auditRowKey(row: Pick<AuditRow, 'kind' | 'userId' | 'username' | 'groups'>): string {
  const base = { kind: row.kind, userId: row.userId, user: row.username };
  if (row.kind === 'remove-access') return changeKey({ ...base, groups: row.groups });
  if (row.kind === 'add-member' || row.kind === 'remove-member')
    return changeKey({ ...base, group: row.groups[0] });
  return changeKey(base);
}

export async function readAuditFile(file: string): Promise<AuditRow[]> {
  return parseAuditCsv(await readInputText(file, 'the audit'), file);
}

/** The rows of an audit file when it exists (an apply's own directory), else none. */
export async function readAuditIfExists(file: string): Promise<AuditRow[]> {
  return existsSync(file) ? readAuditFile(file) : [];
}
