// From what Bitbucket answered to a snapshot (pure: no I/O). Activity is lastAuthenticationTimestamp
// (absent = never authenticated; creation dates are not exposed). A user's seat is the access groups the
// policy names that they are in, plus the global permission granted to them directly. The read-only
// signals (a user's mutableGroups and deletable, a group's deletable) become marks the planner honours
// before apply; type SERVICE marks
// accounts that inactivity rules never touch. Administrators are whoever holds ADMIN or SYS_ADMIN, through
// a group or directly: one admin set per group and per direct permission.
import type {
  AdminSet,
  Capabilities,
  DirectoryRef,
  Group,
  ReadOnlyMark,
  Snapshot,
  User,
} from '../../model.ts';
import { canonical, compareNames, includesName } from '../../model/identity.ts';
import type { ReadScope } from '../driver.ts';
import {
  type GroupPermission,
  isAdminPermission,
  type RestGroup,
  type RestUser,
  type UserPermission,
} from './api.ts';

export interface BitbucketReads {
  version: string;
  /** Username of the account behind the credentials. */
  self: string;
  users: RestUser[];
  /** Every group of the instance, as Bitbucket spells it. */
  groups: RestGroup[];
  /** Members (user ids) of the groups read, keyed by the instance's spelling. */
  members: Map<string, number[]>;
  userPermissions: UserPermission[];
  groupPermissions: GroupPermission[];
  /** Names from admin/user-directories; null when the credentials may not read them. */
  directories: string[] | null;
}

export interface SnapshotMeta {
  instance: string;
  takenAt: string;
  capabilities: Capabilities;
}

const UNKNOWN_DIRECTORY = '(directory not reported)';

function directoryOf(u: RestUser): DirectoryRef {
  const name = u.directoryName || UNKNOWN_DIRECTORY;
  const readOnly = u.mutableDetails === false && u.mutableGroups === false && u.deletable === false;
  return { id: name, name, readOnly };
}

function marks(u: RestUser, seatGroups: string[]): ReadOnlyMark[] {
  const where = u.directoryName ? ` (directory ${u.directoryName})` : '';
  const out: ReadOnlyMark[] = [];
  if (u.mutableGroups === false) {
    out.push({
      // remove-access is blocked only when it has groups to leave: a direct permission can still be revoked.
      kinds: ['add-member', 'remove-member', ...(seatGroups.length > 0 ? (['remove-access'] as const) : [])],
      reason: `Bitbucket does not let the groups of ${u.name} change (mutableGroups: false${where})`,
    });
  }
  if (u.deletable === false) {
    out.push({ kinds: ['delete'], reason: `Bitbucket cannot delete ${u.name} (deletable: false${where})` });
  }
  return out;
}

/**
 * The groups the snapshot reads members of: those the policy names, and those granting ADMIN or SYS_ADMIN (every
 * group with `scope.allGroups`).
 */
export function groupsToRead(scope: ReadScope, all: RestGroup[], permissions: GroupPermission[]): string[] {
  const byName = new Map(all.map((g) => [canonical(g.name), g.name]));
  const wanted = [
    ...scope.groups,
    ...permissions.filter((p) => isAdminPermission(p.permission)).map((p) => p.group.name),
    ...(scope.allGroups ? all.map((g) => g.name) : []),
  ];
  const out: string[] = [];
  for (const name of wanted) {
    const spelled = byName.get(canonical(name.trim()));
    if (spelled && !out.includes(spelled)) out.push(spelled);
  }
  return out;
}

export function buildSnapshot(reads: BitbucketReads, scope: ReadScope, meta: SnapshotMeta): Snapshot {
  const groupsOf = new Map<number, string[]>();
  for (const [group, ids] of reads.members)
    for (const id of ids) groupsOf.set(id, [...(groupsOf.get(id) ?? []), group]);
  const direct = new Map(reads.userPermissions.map((p) => [p.user.id, p.permission]));
  const users: User[] = reads.users.map((u) => {
    const groups = (groupsOf.get(u.id) ?? []).sort((a, b) => a.localeCompare(b));
    const seatGroups = groups.filter((g) => includesName(scope.accessGroups, g));
    const grant = direct.get(u.id);
    const ro = marks(u, seatGroups);
    const last = u.lastAuthenticationTimestamp;
    return {
      id: String(u.id),
      name: u.name,
      email: u.emailAddress || null,
      displayName: u.displayName ?? u.name,
      active: u.active !== false,
      lastActive: typeof last === 'number' ? new Date(last).toISOString() : null,
      activityKnown: true,
      created: null,
      directory: directoryOf(u),
      groups,
      access: { groups: seatGroups, direct: grant ? [grant] : [] },
      ...(ro.length > 0 ? { readOnly: ro } : {}),
      ...(u.type === 'SERVICE' ? { service: true } : {}),
    };
  });
  const self = reads.users.find((u) => canonical(u.name) === canonical(reads.self));
  if (!self)
    throw new Error(
      `the account behind the credentials (${reads.self}) is not listed by admin/users; it would not be protected`,
    );
  return {
    formatVersion: 2,
    platform: 'bitbucket-dc',
    instance: meta.instance,
    version: reads.version,
    takenAt: meta.takenAt,
    self: String(self.id),
    admins: adminSets(reads),
    capabilities: meta.capabilities,
    activity: { source: 'lastAuthenticationTimestamp (admin/users)', available: true },
    directories: directoryNames(reads),
    allGroups: reads.groups.map((g) => g.name),
    users: users.sort((a, b) => compareNames(a.name, b.name)),
    groups: [...reads.members.keys()].sort((a, b) => a.localeCompare(b)).map((name) => groupOf(reads, name)),
  };
}

/**
 * A group Bitbucket cannot delete lives in a directory that does not let Bitbucket change its groups (a
 * read-only LDAP): its memberships are planned as skipped before apply, not sent to be refused.
 */
function groupOf(reads: BitbucketReads, name: string): Group {
  const listed = reads.groups.find((g) => g.name === name);
  if (listed?.deletable !== false) return { name, readOnly: false };
  return {
    name,
    readOnly: true,
    readOnlyReason: `Bitbucket cannot delete group ${name} (deletable: false): it comes from a read-only directory, so its members are not changed here`,
  };
}

function adminSets(reads: BitbucketReads): AdminSet[] {
  const sets: AdminSet[] = [];
  for (const p of reads.groupPermissions) {
    if (!isAdminPermission(p.permission)) continue;
    const group = [...reads.members.keys()].find((g) => canonical(g) === canonical(p.group.name));
    if (!group) continue;
    sets.push({
      label: `group ${group}`,
      group,
      members: (reads.members.get(group) ?? []).map(String),
    });
  }
  for (const permission of ['SYS_ADMIN', 'ADMIN']) {
    const members = reads.userPermissions
      .filter((p) => p.permission === permission)
      .map((p) => String(p.user.id));
    if (members.length > 0) sets.push({ label: `direct ${permission} permission`, group: null, members });
  }
  return sets;
}

function directoryNames(reads: BitbucketReads): string[] {
  const names = new Map<string, string>();
  for (const d of [...(reads.directories ?? []), ...reads.users.map((u) => u.directoryName ?? '')])
    if (d && !names.has(canonical(d))) names.set(canonical(d), d);
  return [...names.values()].sort((a, b) => a.localeCompare(b));
}
