// refused.csv: what the instance refused as read-only, carried from one apply to the next plans, so such
// changes are shown as skipped (read-only-directory) with the instance's answer instead of coming back as
// changes in every plan. Each apply writes the refusals still relevant (their change is still wanted) plus
// the new ones; a refusal whose change is no longer wanted (the account was fixed in its directory) drops out.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { type ApplyResult, CHANGE_KINDS, type ChangeKind, changeKey, type Plan } from '../model.ts';
import type { Refusal } from '../planner/index.ts';
import { PolicyError } from '../policy/diagnostics.ts';
import { neutraliseCsvCell } from '../report/escape.ts';
import { changeGroups } from '../report/format.ts';
import { readInputText } from '../read-text.ts';

export const REFUSALS_FILE = 'refused.csv';
export const REFUSAL_COLUMNS = [
  'user_id',
  'username',
  'kind',
  'group',
  'message',
  'refused_at',
  'run_id',
  'policy',
] as const;

export function refusalsCsv(refusals: readonly Refusal[]): string {
  const rows = refusals.map((r) =>
    Object.fromEntries(
      Object.entries({
        user_id: r.userId,
        username: r.user,
        kind: r.kind,
        group: r.group,
        message: r.message,
        refused_at: r.at,
        run_id: r.runId,
        policy: r.policy ?? null,
      }).map(([k, v]) => [k, neutraliseCsvCell(v)]),
    ),
  );
  return stringify(rows, {
    header: true,
    columns: [...REFUSAL_COLUMNS],
    record_delimiter: 'unix',
    eof: true,
  });
}

/** Neutralised cells start with a quote (CSV injection); read them back as written. */
const restore = (v: string | undefined): string => (v ?? '').replace(/^'(?=[=+\-@\t\r])/, '');

export function parseRefusalsCsv(text: string, file: string): Refusal[] {
  const fail = (line: number, field: string, message: string): never => {
    throw new PolicyError([{ severity: 'error', file, line, col: 1, field, message }]);
  };
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, info: true }) as unknown as typeof rows;
  } catch (e) {
    return fail((e as { lines?: number }).lines ?? 1, '', `reading CSV: ${(e as Error).message}`);
  }
  const header = rows[0]?.record ?? [];
  const idx = Object.fromEntries(REFUSAL_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof REFUSAL_COLUMNS)[number],
    number
  >;
  for (const c of ['username', 'kind', 'refused_at'] as const)
    if (idx[c] < 0)
      fail(1, '', `the header must name the columns ${REFUSAL_COLUMNS.join(',')}; ${c} is missing`);
  return rows.slice(1).map(({ record, info }) => {
    const cell = (c: (typeof REFUSAL_COLUMNS)[number]) => (idx[c] >= 0 ? restore(record[idx[c]]) : '');
    const kind = cell('kind');
    if (!(CHANGE_KINDS as readonly string[]).includes(kind))
      fail(info.lines, 'kind', `expected one of ${CHANGE_KINDS.join(' | ')}, got ${JSON.stringify(kind)}`);
    if (!cell('username')) fail(info.lines, 'username', 'expected a username, got an empty cell');
    if (Number.isNaN(Date.parse(cell('refused_at'))))
      fail(info.lines, 'refused_at', `expected an ISO timestamp, got ${JSON.stringify(cell('refused_at'))}`);
    return {
      userId: cell('user_id') || null,
      user: cell('username'),
      kind: kind as ChangeKind,
      group: cell('group') || null,
      message: cell('message'),
      at: cell('refused_at'),
      runId: cell('run_id') || null,
      policy: cell('policy') || null,
    };
  });
}

export async function readRefusals(file: string): Promise<Refusal[]> {
  return parseRefusalsCsv(await readInputText(file, 'refusals'), file);
}

const key = (r: Pick<Refusal, 'kind' | 'userId' | 'user' | 'group'>) =>
  changeKey({ kind: r.kind, userId: r.userId, user: r.user, group: r.group ?? '' });

/**
 * The refusals to carry on after an apply: earlier ones whose change this plan still skipped as refused,
 * and the read-only answers of this apply.
 */
export function refusalsAfterApply(
  previous: readonly Refusal[],
  plan: Plan,
  results: readonly ApplyResult[],
  runId: string | null,
  policy: string | null = null,
): Refusal[] {
  const stillSkipped = new Set(
    plan.skipped
      .filter((s) => s.why === 'read-only-directory')
      .map((s) => key({ kind: s.kind, userId: s.userId, user: s.user, group: s.group ?? null })),
  );
  const carried = previous.filter(
    (r) =>
      stillSkipped.has(key({ ...r, group: r.kind === 'remove-access' ? null : r.group })) ||
      stillSkipped.has(key(r)),
  );
  const fresh = results
    .filter((r) => r.class === 'read-only')
    .map((r): Refusal => ({
      userId: r.change.userId,
      user: r.change.user,
      kind: r.change.kind,
      group: changeGroups(r.change).join(';') || null,
      message: r.error ?? 'read-only directory',
      at: r.at,
      runId,
      policy,
    }));
  const seen = new Set<string>();
  return [...fresh, ...carried].filter((r) => {
    const k = key(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
