// Reading a previous inventory.csv back, for drift (`aup plan --since`, the Action's last run). Every row is
// checked; a damaged file is refused with the line named, never half-read.
import { parse } from 'csv-parse/sync';
import type { InventoryEntry } from '../planner/drift.ts';
import { PolicyError } from '../policy/diagnostics.ts';
import { readInputText } from '../read-text.ts';

/** Neutralised cells start with a quote (CSV injection); read them back as written. */
const restore = (v: string | undefined): string => (v ?? '').replace(/^'(?=[=+\-@\t\r])/, '');

const NEEDED = ['id', 'username', 'active', 'groups'] as const;

export function parseInventoryCsv(text: string, file: string): InventoryEntry[] {
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
  if (header.length === 0) fail(1, '', 'the file is empty: expected the header of an inventory.csv');
  const idx = Object.fromEntries(NEEDED.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof NEEDED)[number],
    number
  >;
  for (const c of NEEDED)
    if (idx[c] < 0) fail(1, c, `the header must name the columns of an inventory.csv; ${c} is missing`);
  return rows.slice(1).map(({ record, info }) => {
    const cell = (c: (typeof NEEDED)[number]) => restore(record[idx[c]]);
    const active = cell('active');
    if (active !== 'true' && active !== 'false')
      fail(info.lines, 'active', `expected true or false, got ${JSON.stringify(active.slice(0, 40))}`);
    if (!cell('id')) fail(info.lines, 'id', 'expected the user id, got an empty cell');
    const groups = cell('groups');
    return {
      id: cell('id'),
      username: cell('username'),
      active: active === 'true',
      groups: groups === '' ? [] : groups.split(';'),
    };
  });
}

/** The previous inventory for drift; a file that cannot be read throws a PolicyError naming it. */
export async function readInventory(file: string): Promise<InventoryEntry[]> {
  return parseInventoryCsv(await readInputText(file, 'the previous inventory'), file);
}
