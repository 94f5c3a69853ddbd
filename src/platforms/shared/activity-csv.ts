// The CSV activity source (`instance.activity: { source: csv, csv: path }`): columns username,last_login, as an
// admin exports them with SQL where the platform's REST API has no login times. An empty last_login means the
// user never logged in; a user missing from the file has unknown activity (never treated as inactive).
import { parse } from 'csv-parse/sync';
import type { ActivitySource, Snapshot, User } from '../../model.ts';
import { canonical } from '../../model/identity.ts';
import { type Diagnostic, PolicyError } from '../../policy/diagnostics.ts';
import { readInputText } from '../../read-text.ts';

/** username (lower-cased) → ISO last login, or null for never logged in. */
export type ActivityMap = Map<string, string | null>;

export function parseActivityCsv(text: string, file: string): ActivityMap {
  const diagnostics: Diagnostic[] = [];
  const err = (line: number, col: number, field: string, message: string) =>
    diagnostics.push({ severity: 'error', file, line, col, field, message });
  // `info` gives each record's (last) line in the file: blank lines are skipped, so an index would drift.
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    // csv-parse's types do not model `info: true`, which wraps each record with its info.
    rows = parse(text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as typeof rows;
  } catch (e) {
    throw new PolicyError([
      {
        severity: 'error',
        file,
        line: (e as { lines?: number }).lines ?? 1,
        col: 1,
        field: '',
        message: `reading CSV: ${(e as Error).message}`,
      },
    ]);
  }
  const header = (rows[0]?.record ?? []).map((h) => h.toLowerCase());
  const ui = header.indexOf('username');
  const li = header.indexOf('last_login');
  if (ui < 0 || li < 0) {
    err(
      rows[0]?.info.lines ?? 1,
      1,
      '',
      `the header must name the columns username,last_login, got ${JSON.stringify(header.join(','))}`,
    );
    throw new PolicyError(diagnostics);
  }
  const map: ActivityMap = new Map();
  rows.slice(1).forEach(({ record: row, info }) => {
    const line = info.lines;
    const name = row[ui] ?? '';
    const raw = row[li] ?? '';
    if (!name) return err(line, ui + 1, 'username', 'expected a username, got an empty cell');
    if (map.has(canonical(name))) return err(line, ui + 1, 'username', `"${name}" is listed twice`);
    if (raw === '') return void map.set(canonical(name), null);
    // Epoch milliseconds (login.lastLoginMillis of cwd_user_attributes: 13 digits) or an ISO date/timestamp.
    // Shorter digit strings are refused: read as milliseconds, epoch *seconds* would date each login to 1970.
    const t = parseLoginTime(raw);
    if (Number.isNaN(t))
      return err(
        line,
        li + 1,
        'last_login',
        `expected an ISO date, a timestamp or epoch milliseconds, got ${JSON.stringify(raw)}`,
      );
    map.set(canonical(name), new Date(t).toISOString());
  });
  if (diagnostics.length > 0) throw new PolicyError(diagnostics);
  return map;
}

const ISO = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch milliseconds (13 digits) or an ISO date/timestamp; one without a zone is UTC. NaN otherwise. */
export function parseLoginTime(raw: string): number {
  if (/^\d{13}$/.test(raw)) return Number(raw);
  const m = ISO.exec(raw);
  if (!m) return Number.NaN;
  const zone = m[3]
    ? m[3].toUpperCase() === 'Z'
      ? 'Z'
      : m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')
    : 'Z';
  const normalised = zone.length === 3 ? `${zone}:00` : zone;
  return Date.parse(`${m[1]}T${m[2] ?? '00:00'}${normalised}`);
}

export async function readActivityCsv(file: string): Promise<ActivityMap> {
  const text = await readInputText(file, 'the activity CSV');
  return parseActivityCsv(text, file);
}

/**
 * The snapshot with activity taken from the CSV for every user, whatever the platform's own source said: a
 * user listed with a time was last active then, listed with an empty cell never logged in, not listed has
 * unknown activity (never treated as inactive). Works for every platform.
 */
export function overlayActivity(snapshot: Snapshot, map: ActivityMap, file: string): Snapshot {
  let listed = 0;
  const users = snapshot.users.map((u): User => {
    const v = map.get(canonical(u.name));
    const { products: _ignored, ...rest } = u;
    if (v === undefined) return { ...rest, lastActive: null, activityKnown: false };
    listed++;
    return { ...rest, lastActive: v, activityKnown: true };
  });
  const activity: ActivitySource = {
    source: `CSV ${file}`,
    available: true,
    ...(listed < snapshot.users.length
      ? {
          detail: `${snapshot.users.length - listed} of ${snapshot.users.length} users are not listed in ${file}`,
        }
      : {}),
    remedy: `Export the login times again (columns username,last_login) so that every user is listed.`,
  };
  return { ...snapshot, users, activity };
}
