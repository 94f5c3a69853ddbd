// Drift: what changed on the instance outside the policy since the previous run, from that run's inventory and
// today's snapshot — users added to or removed from managed groups, protected and admin groups gaining members,
// accounts re-activated or deactivated by hand. Changes this tool applied (the audit history) are not drift. Pure.
import type { Snapshot, User } from '../model.ts';
import { canonical, includesName } from '../model/identity.ts';
import type { Policy } from '../policy/schema.ts';
import type { HistoryEntry } from './history.ts';
import { plural } from '../plural.ts';

/** What drift needs of one row of a previous inventory.csv. */
export interface InventoryEntry {
  id: string;
  username: string;
  active: boolean;
  /** The groups the user was a member of, among the groups read then. */
  groups: string[];
}

/** Why a group's membership matters: the policy manages it, protects it, or it grants administration. */
export type GroupRole = 'managed' | 'protected' | 'admin';

export type DriftEntry =
  | { kind: 'member-added' | 'member-removed'; user: string; userId: string; group: string; role: GroupRole }
  | {
      kind: 'reactivated';
      user: string;
      userId: string;
      /** When this tool had deactivated the user (ISO), from the history; null when not known to be this tool. */
      deactivatedByTool: string | null;
    }
  | { kind: 'deactivated'; user: string; userId: string };

export interface Drift {
  /** The previous inventory, as named (a file, an artifact). */
  since: string;
  entries: DriftEntry[];
  /** What a reviewer should know about the comparison (groups with no member then: not read, perhaps). */
  notes: string[];
}

const KIND_ORDER = { 'member-added': 0, 'member-removed': 1, reactivated: 2, deactivated: 3 } as const;

/** The groups whose members drift watches, each with its role (admin over protected over managed). */
export function watchedGroups(
  snapshot: Pick<Snapshot, 'admins'>,
  policy: Policy,
): Map<string, { name: string; role: GroupRole }> {
  const out = new Map<string, { name: string; role: GroupRole }>();
  const add = (name: string, role: GroupRole) => {
    if (!out.has(canonical(name))) out.set(canonical(name), { name, role });
  };
  for (const a of snapshot.admins ?? []) if (a.group) add(a.group, 'admin');
  for (const g of policy.protect.groups) add(g, 'protected');
  for (const g of Object.keys(policy.groups)) add(g, 'managed');
  return out;
}

/**
 * Compares the previous inventory with today's snapshot. Users are matched by id, else by username. Removals
 * are reported for managed groups only; protected and admin groups report who gained membership.
 */
export function computeDrift(
  inventory: readonly InventoryEntry[],
  snapshot: Pick<Snapshot, 'users' | 'admins'>,
  policy: Policy,
  since: string,
  history: readonly HistoryEntry[] = [],
  /** Changes applied after the inventory was read (an apply's inventory is what it read before applying). */
  appliedAfter: readonly HistoryEntry[] = [],
): Drift {
  const previous = replay(inventory, appliedAfter);
  const watched = watchedGroups(snapshot, policy);
  const byId = new Map(previous.map((p) => [p.id, p]));
  const byName = new Map(previous.map((p) => [canonical(p.username), p]));
  const entries: DriftEntry[] = [];
  const before = new Map<string, number>();
  for (const p of previous)
    for (const g of p.groups)
      if (watched.has(canonical(g))) before.set(canonical(g), (before.get(canonical(g)) ?? 0) + 1);

  const seen = new Set<InventoryEntry>();
  for (const u of snapshot.users) {
    const prev = byId.get(u.id) ?? byName.get(canonical(u.name));
    if (prev) seen.add(prev);
    const had = prev?.groups ?? [];
    for (const [key, g] of watched) {
      const now = u.groups.some((x) => canonical(x) === key);
      const then = had.some((x) => canonical(x) === key);
      if (now && !then && !byTool(history, u, 'add-member', g.name))
        entries.push({ kind: 'member-added', user: u.name, userId: u.id, group: g.name, role: g.role });
      if (!now && then && g.role === 'managed' && !byTool(history, u, 'remove-member', g.name))
        entries.push({ kind: 'member-removed', user: u.name, userId: u.id, group: g.name, role: g.role });
    }
    if (prev && !prev.active && u.active && !byTool(history, u, 'activate'))
      entries.push({
        kind: 'reactivated',
        user: u.name,
        userId: u.id,
        deactivatedByTool: lastDeactivation(history, u),
      });
    if (prev && prev.active && !u.active && !byTool(history, u, 'deactivate'))
      entries.push({ kind: 'deactivated', user: u.name, userId: u.id });
  }
  // Accounts gone since: their memberships of managed groups ended (unless this tool deleted them).
  for (const p of previous) {
    if (seen.has(p)) continue;
    const gone = { id: p.id, name: p.username } as Pick<User, 'id' | 'name'>;
    if (byTool(history, gone, 'delete')) continue;
    for (const g of p.groups) {
      const w = watched.get(canonical(g));
      if (w?.role === 'managed')
        entries.push({ kind: 'member-removed', user: p.username, userId: p.id, group: w.name, role: w.role });
    }
  }
  const notes: string[] = [];
  for (const [key, g] of watched) {
    const gained = entries.filter((e) => e.kind === 'member-added' && canonical(e.group) === key).length;
    if (!before.has(key) && gained > 0 && previous.length > 0)
      notes.push(
        `${g.name} had no member in the previous inventory (empty then, or not read by that run): ${plural(gained, 'current member is', 'current members are')} listed as added`,
      );
  }
  entries.sort(
    (a, b) =>
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      ('group' in a && 'group' in b ? canonical(a.group).localeCompare(canonical(b.group)) : 0) ||
      canonical(a.user).localeCompare(canonical(b.user)),
  );
  return { since, entries, notes };
}

const sameUser = (e: HistoryEntry, u: Pick<User, 'id' | 'name'>): boolean =>
  (e.userId !== null && e.userId === u.id) || canonical(e.user) === canonical(u.name);

/** This tool applied that change (so it is not drift). */
function byTool(
  history: readonly HistoryEntry[],
  u: Pick<User, 'id' | 'name'>,
  kind: HistoryEntry['kind'],
  group?: string,
): boolean {
  return history.some(
    (e) =>
      e.outcome === 'applied' &&
      sameUser(e, u) &&
      (e.kind === kind ||
        // Removing access or deleting ends memberships too.
        (kind === 'remove-member' && (e.kind === 'remove-access' || e.kind === 'delete'))) &&
      (group === undefined || e.groups.length === 0 || includesName(e.groups, group)),
  );
}

function lastDeactivation(history: readonly HistoryEntry[], u: User): string | null {
  const at = history
    .filter((e) => e.outcome === 'applied' && e.kind === 'deactivate' && sameUser(e, u))
    .map((e) => e.at)
    .sort();
  return at.at(-1) ?? null;
}

/** The inventory as it was after `applied` (this tool's applied changes, in order). */
export function replay(
  inventory: readonly InventoryEntry[],
  applied: readonly HistoryEntry[],
): InventoryEntry[] {
  const rows = inventory.map((r) => ({ ...r, groups: [...r.groups] }));
  const find = (e: HistoryEntry) =>
    rows.find((r) => (e.userId !== null && r.id === e.userId) || canonical(r.username) === canonical(e.user));
  for (const e of [...applied].sort((a, b) => a.at.localeCompare(b.at))) {
    if (e.outcome !== 'applied') continue;
    const row = find(e);
    if (!row) continue;
    const without = (gs: string[]) => row.groups.filter((g) => !includesName(gs, g));
    if (e.kind === 'deactivate') row.active = false;
    else if (e.kind === 'activate') row.active = true;
    else if (e.kind === 'add-member') row.groups = [...without(e.groups), ...e.groups];
    else if (e.kind === 'remove-member' || e.kind === 'remove-access') row.groups = without(e.groups);
    else if (e.kind === 'delete') rows.splice(rows.indexOf(row), 1);
  }
  return rows;
}

/** The entries of the latest run in a history: what the apply that wrote an apply-inventory.csv did after reading it. */
export function lastRun(history: readonly HistoryEntry[]): HistoryEntry[] {
  const latest = [...history].sort((a, b) => a.at.localeCompare(b.at)).at(-1);
  return latest ? history.filter((e) => e.run === latest.run) : [];
}
