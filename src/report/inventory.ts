// inventory.csv (one row per user) and groups.csv (one row per group), as rows to write whole or to stream: the
// rows are produced one at a time, so `aup export` writes them without holding the file in memory. Pure.
import { canonical, NameMap, uniqueNames } from '../model/identity.ts';
import { seatOf } from '../model/seat.ts';
import type { Snapshot, User } from '../model.ts';
import { type Cell, csvRecord, toCsv } from './csv-format.ts';
import { daysSinceActive } from './format.ts';

export const INVENTORY_COLUMNS = [
  'id',
  'username',
  'display_name',
  'email',
  'active',
  'last_active',
  'days_inactive',
  'never_logged_in',
  'created',
  'directory',
  'read_only',
  'groups',
  'licensed_access',
] as const;

export const GROUP_COLUMNS = ['group', 'members', 'read_only', 'managed'] as const;

function byUsername(a: User, b: User): number {
  const x = canonical(a.name);
  const y = canonical(b.name);
  if (x !== y) return x < y ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function byCanonical(a: string, b: string): number {
  const x = canonical(a);
  const y = canonical(b);
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** What a seat is held through: the access groups, then the direct grants (`direct LICENSED_USER`). */
export function licensedAccess(user: User, accessGroups: readonly string[]): string[] {
  const seat = seatOf(user, accessGroups);
  return [...[...seat.groups].sort(byCanonical), ...seat.direct.map((d) => `direct ${d}`)];
}

/**
 * Every user of the snapshot, sorted by username case-insensitively (code-unit order, so the file does not
 * depend on the machine's locale). `last_active` is the ISO timestamp, `never` when the user never logged in,
 * empty when unknown; `days_inactive` is whole UTC days before `now`, empty when never or unknown;
 * `never_logged_in` is empty when unknown. `read_only` is true for an account the instance does not let change: a
 * read-only directory, or the platform's own mark (Cloud: synced from an identity provider). Groups are sorted and
 * joined with ';'; `licensed_access` is how the user holds a seat as the plan counts it (the platform's answer,
 * else the policy's access groups).
 */
export function* inventoryRows(
  snapshot: Pick<Snapshot, 'users'>,
  now: Date,
  accessGroups: readonly string[] = [],
): Generator<Record<(typeof INVENTORY_COLUMNS)[number], Cell>> {
  // Sorting copies references only: the rows themselves are made one at a time.
  for (const u of [...snapshot.users].sort(byUsername)) {
    yield {
      id: u.id,
      username: u.name,
      display_name: u.displayName,
      email: u.email,
      active: u.active,
      last_active: u.lastActive ?? (u.activityKnown ? 'never' : ''),
      days_inactive: daysSinceActive(u, now),
      never_logged_in: u.activityKnown ? u.lastActive === null : '',
      created: u.created,
      directory: u.directory.name,
      read_only: u.directory.readOnly || (u.readOnly ?? []).some((m) => m.kinds.includes('deactivate')),
      groups: [...u.groups].sort(byCanonical).join(';'),
      licensed_access: licensedAccess(u, accessGroups).join(';'),
    };
  }
}

export function inventoryCsv(
  snapshot: Pick<Snapshot, 'users'>,
  now: Date,
  accessGroups: readonly string[] = [],
): string {
  return toCsv(INVENTORY_COLUMNS, inventoryRows(snapshot, now, accessGroups), true);
}

/** How the policy manages a group: `exact` or `additive` (policy `groups:`), absent = not managed. */
export type ManagedGroups = Record<string, { mode: 'exact' | 'additive' }>;

/**
 * Every group the snapshot names (the instance's listing, and the groups read), sorted case-insensitively:
 * `members` is how many users of the snapshot are listed in it (as the platform lists members), empty for a group
 * whose members were not read; `read_only` likewise; `managed` is the policy's mode for it, empty when the policy
 * does not manage it.
 */
export function* groupRows(
  snapshot: Pick<Snapshot, 'users' | 'groups' | 'allGroups'>,
  managed: ManagedGroups = {},
): Generator<Record<(typeof GROUP_COLUMNS)[number], Cell>> {
  const read = new NameMap<Snapshot['groups'][number]>();
  for (const g of snapshot.groups) read.set(g.name, g);
  const counts = new Map<string, number>();
  for (const u of snapshot.users)
    for (const g of new Set(u.groups.map(canonical))) counts.set(g, (counts.get(g) ?? 0) + 1);
  const modes = new NameMap<string>();
  for (const [name, g] of Object.entries(managed)) modes.set(name, g.mode);
  // The spelling of the groups read first, then the instance's listing.
  const names = uniqueNames([...snapshot.groups.map((g) => g.name), ...(snapshot.allGroups ?? [])]);
  for (const name of names.sort(byCanonical)) {
    const g = read.get(name);
    yield {
      group: name,
      members: g ? (counts.get(canonical(name)) ?? 0) : null,
      read_only: g ? g.readOnly : null,
      managed: modes.get(name) ?? null,
    };
  }
}

export function groupsCsv(
  snapshot: Pick<Snapshot, 'users' | 'groups' | 'allGroups'>,
  managed: ManagedGroups = {},
): string {
  return toCsv(GROUP_COLUMNS, groupRows(snapshot, managed), true);
}

/** Neutralised records of rows, for a streaming writer (csv-stringify) with csvOptions(columns). */
export function* csvRecords(
  columns: readonly string[],
  rows: Iterable<Record<string, Cell>>,
): Generator<Record<string, string>> {
  for (const row of rows) yield csvRecord(columns, row);
}
