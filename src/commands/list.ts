// `aup list`: a search over one snapshot of the instance, with the matching code of the policy's `select` and
// `exclude` (planner/select.ts), as a table that fits the terminal, inventory.csv rows or JSON user objects. Pure.
import type { Snapshot, User } from '../model.ts';
import { canonical } from '../model/identity.ts';
import { unknownDirectoryMessage, unknownGroupMessage } from '../planner/names.ts';
import { effectiveActivity } from '../planner/activity.ts';
import { inactivityOf, Selection, type StatusFilter } from '../planner/select.ts';
import { inventoryCsv } from '../report/inventory.ts';
import { stripControl } from '../report/escape.ts';
import { daysAgo, formatInt, plural } from '../report/format.ts';
import { fitColumns } from './table.ts';

export type ListFormat = 'table' | 'csv' | 'json';

export interface ListFilters {
  /** Account state; `any` (the command line's `all`) by default. */
  status?: StatusFilter;
  /** Only users inactive at least this many days (never logged in: since creation). Unknown activity never is. */
  inactiveDays?: number;
  /** Only users who never logged in, as far as the activity source knows. */
  neverLoggedIn?: boolean;
  /** Members of any of these groups. */
  groups?: string[];
  /** Username or display name pattern. */
  name?: string;
  /** Email pattern. */
  email?: string;
  directory?: string;
}

export interface ListOptions {
  now: Date;
  filters: ListFilters;
  format: ListFormat;
  /** The terminal's width: the table is fitted to it; none = as wide as its cells. */
  columns?: number;
  /** `instance.activity.products` (the products whose activity counts). */
  products?: string[];
  /** `instance.access_groups` (csv: licensed_access). */
  accessGroups?: string[];
}

/** Why the filters can match no one on this instance: a group or directory it does not have. */
export function filterProblems(snapshot: Snapshot, f: ListFilters): string[] {
  const read = new Set(snapshot.groups.map((g) => canonical(g.name)));
  const problems = (f.groups ?? [])
    .filter((g) => !read.has(canonical(g)))
    .map((g) => unknownGroupMessage(snapshot, '--group', g));
  const dir =
    f.directory === undefined ? null : unknownDirectoryMessage(snapshot, '--directory', f.directory);
  return dir ? [...problems, dir] : problems;
}

/** The users every given filter holds for, in the snapshot's order. */
export function selectUsers(
  snapshot: Pick<Snapshot, 'users'>,
  f: ListFilters,
  now: Date,
  products?: string[],
): User[] {
  const selection = new Selection({
    status: f.status ?? 'any',
    ...(f.groups && f.groups.length > 0 ? { groups: f.groups } : {}),
    ...(f.directory !== undefined ? { directories: [f.directory] } : {}),
    ...(f.email !== undefined ? { emails: [f.email] } : {}),
    ...(f.name !== undefined ? { names: [f.name] } : {}),
  });
  return snapshot.users.filter((u) => {
    if (!selection.matches(u)) return false;
    if (f.neverLoggedIn) {
      const a = effectiveActivity(u, products);
      if (!a.known || a.lastActive !== null) return false;
    }
    if (f.inactiveDays !== undefined) {
      const a = inactivityOf(u, now, products);
      if (!a.known || a.days < f.inactiveDays) return false;
    }
    return true;
  });
}

/** Users whose activity an activity filter could not evaluate (never counted by it). */
function unknownTo(
  snapshot: Pick<Snapshot, 'users'>,
  f: ListFilters,
  now: Date,
  products?: string[],
): number {
  if (f.inactiveDays !== undefined)
    return snapshot.users.filter((u) => !inactivityOf(u, now, products).known).length;
  if (f.neverLoggedIn) return snapshot.users.filter((u) => !effectiveActivity(u, products).known).length;
  return 0;
}

/** What the filters say, for the line under the table: `inactive 90 days or more, in developers`. */
export function describeFilters(f: ListFilters): string[] {
  const out: string[] = [];
  if (f.status === 'active') out.push('active accounts');
  if (f.status === 'inactive') out.push('deactivated accounts');
  if (f.inactiveDays !== undefined) out.push(`inactive ${plural(f.inactiveDays, 'day')} or more`);
  if (f.neverLoggedIn) out.push('never logged in');
  if (f.groups && f.groups.length > 0) out.push(`in ${f.groups.join(' or ')}`);
  if (f.name !== undefined) out.push(`name matching ${f.name}`);
  if (f.email !== undefined) out.push(`email matching ${f.email}`);
  if (f.directory !== undefined) out.push(`in directory ${f.directory}`);
  return out.map(stripControl);
}

function activityText(u: User, now: Date, products: string[] | undefined): string {
  const a = effectiveActivity(u, products);
  if (!a.known) return 'unknown';
  const i = inactivityOf(u, now, products);
  const ago = i.known ? daysAgo(Math.max(0, i.days)) : null;
  if (a.lastActive === null) return ago ? `never (created ${ago})` : 'never';
  return ago ?? 'unknown';
}

export function listUsers(snapshot: Snapshot, o: ListOptions): string {
  const users = selectUsers(snapshot, o.filters, o.now, o.products);
  if (o.format === 'json') return JSON.stringify(users, null, 2);
  if (o.format === 'csv') return inventoryCsv({ users }, o.now, o.accessGroups).trimEnd();
  const directories = Array.isArray(snapshot.directories);
  const header = [
    'USERNAME',
    'DISPLAY NAME',
    'EMAIL',
    'STATE',
    'LAST ACTIVE',
    ...(directories ? ['DIRECTORY'] : []),
    'GROUPS',
  ];
  const rows = users.map((u) =>
    [
      u.name,
      u.displayName,
      u.email ?? '',
      u.active ? 'active' : 'inactive',
      activityText(u, o.now, o.products),
      ...(directories ? [u.directory.name] : []),
      u.groups.join(', '),
    ].map(stripControl),
  );
  const table = fitColumns([header, ...rows], {
    columns: o.columns,
    // What gives way first when the terminal is narrow: groups, display names, emails, directories, activity.
    shrinkOrder: [header.length - 1, 1, 2, ...(directories ? [5] : []), 4, 3, 0],
  });
  const said = describeFilters(o.filters);
  const unknown = unknownTo(snapshot, o.filters, o.now, o.products);
  const footer = `${formatInt(users.length)} of ${plural(snapshot.users.length, 'user')}${said.length > 0 ? `: ${said.join(', ')}` : ''}`;
  const note =
    unknown > 0
      ? ` (activity unknown for ${plural(unknown, 'user')}: never counted as inactive or as never logged in)`
      : '';
  return [...table, '', `${footer}${note}`].join('\n');
}
