// From what the organisation answered to a snapshot (pure: no I/O). A user is named by email (the account
// id when the API shows none; the account id is an alias either way), is active while their membership of
// the directory is (`status: active`), and was last active at the latest `lastActiveTimestamp` of their
// products (an empty `productAccess` = never used one; the policy may count only some products, see
// planner/activity.ts). `addedToOrg` is the creation date. Read-only signals become marks the planner
// honours before apply: users synced from an identity provider, groups that are `externalSynced` or not
// `modifiable`. Holders of the org-admin and site-admin roles are admin sets (the last active one is kept).
import type {
  ActivitySource,
  AdminSet,
  Capabilities,
  Group,
  ProductActivity,
  ReadOnlyMark,
  Snapshot,
  User,
} from '../../model.ts';
import { canonical, compareNames, includesName, uniqueNames } from '../../model/identity.ts';
import type { ReadScope } from '../driver.ts';
import type { CloudGroup, CloudUser, ProductAccess } from './api.ts';

export interface ListedUser {
  /** The directory id the user was listed in. */
  dir: string;
  user: CloudUser;
}

export interface ListedGroup {
  dir: string;
  group: CloudGroup;
  /** Products a membership grants a billable seat in (read for the access groups). */
  grants?: string[];
}

export interface CloudReads {
  /** The directories read, in the order read. */
  directories: { id: string; name: string }[];
  users: ListedUser[];
  groups: ListedGroup[];
  /** Account ids whose activity could not be read (productAccess missing and the fallback bounded). */
  unknownActivity: ReadonlySet<string>;
  activity: ActivitySource;
}

export interface SnapshotMeta {
  instance: string;
  takenAt: string;
  capabilities: Capabilities;
}

/** Roles whose holders administer the organisation or a site: the last active one is never taken away. */
export const ADMIN_ROLES = ['atlassian/org-admin', 'atlassian/site-admin'] as const;

/** The user has access to the directory's apps (not suspended, not deactivated, not removed). */
export function isActive(u: CloudUser): boolean {
  if (u.status !== undefined) return u.status === 'active';
  return u.membershipStatus === 'active' && (u.accountStatus ?? 'active') === 'active';
}

/** An ISO timestamp from the API, normalised; a value that is not a date fails the snapshot. */
function timestamp(value: string | null | undefined, what: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`${what}: ${JSON.stringify(value)} is not a date`);
  return new Date(t).toISOString();
}

/** Activity per product (the latest of a product's sites) and the latest overall. */
export function productActivity(
  access: readonly ProductAccess[],
  who: string,
): { products: ProductActivity[]; lastActive: string | null } {
  const latest = new Map<string, string | null>();
  for (const p of access) {
    const key = p.key ?? p.id ?? 'unknown product';
    const at = timestamp(p.lastActiveTimestamp, `user ${who}: lastActiveTimestamp of ${key}`);
    const prior = latest.get(key);
    if (prior === undefined || (at !== null && (prior === null || at > prior))) latest.set(key, at);
  }
  const products = [...latest.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([product, lastActive]) => ({ product, lastActive }));
  const lastActive = products.reduce<string | null>(
    (a, p) => (p.lastActive !== null && (a === null || p.lastActive > a) ? p.lastActive : a),
    null,
  );
  return { products, lastActive };
}

function marks(u: CloudUser, name: string): ReadOnlyMark[] {
  const out: ReadOnlyMark[] = [];
  if (u.managementSource === 'synced')
    out.push({
      kinds: ['activate', 'deactivate', 'delete'],
      reason: `${name} is synced from an identity provider (managementSource: synced): manage them in the identity provider`,
    });
  else if (u.accountStatus === 'inactive' || u.accountStatus === 'closed')
    out.push({
      kinds: ['activate'],
      reason: `the Atlassian account of ${name} is ${u.accountStatus === 'closed' ? 'closed' : 'deactivated'} (accountStatus: ${u.accountStatus}): reactivate the account in admin.atlassian.com (Managed accounts); restoring directory access cannot`,
    });
  return out;
}

function groupOf(g: ListedGroup): Group {
  const { name, externalSynced, managementAccess } = g.group;
  const grants = g.grants ? { grants: g.grants } : {};
  if (externalSynced)
    return {
      name,
      readOnly: true,
      readOnlyReason: `group ${name} is synced from an identity provider (externalSynced): manage its members in the identity provider`,
      ...grants,
    };
  if (managementAccess?.modifiable === false)
    return {
      name,
      readOnly: true,
      readOnlyReason: `Atlassian does not let the members of group ${name} change (managementAccess.modifiable: false)`,
      ...grants,
    };
  return { name, readOnly: false, ...grants };
}

/**
 * The groups the snapshot reads: those the policy names, as the organisation spells them (every group with
 * `scope.allGroups`: users/search lists each user's groups, so reading them all costs no request).
 */
export function groupsToRead(scope: ReadScope, all: readonly ListedGroup[]): ListedGroup[] {
  if (scope.allGroups) return [...all];
  return all.filter((g) => includesName(scope.groups, g.group.name));
}

export function buildSnapshot(reads: CloudReads, scope: ReadScope, meta: SnapshotMeta): Snapshot {
  const read = groupsToRead(scope, reads.groups);
  const readIds = new Map(read.map((g) => [g.group.id, g.group.name]));
  const dirName = new Map(reads.directories.map((d) => [d.id, d.name]));
  const users: User[] = reads.users.map(({ dir, user: u }) => {
    const email = u.email || null;
    const name = email ?? u.accountId;
    const { products, lastActive } = productActivity(u.productAccess ?? [], name);
    const known = !reads.unknownActivity.has(u.accountId);
    const ro = marks(u, name);
    const groups = (u.groups ?? [])
      .map((g) => readIds.get(g.id))
      .filter((g): g is string => g !== undefined)
      .sort((a, b) => a.localeCompare(b));
    return {
      id: u.accountId,
      name,
      ...(email ? { aliases: [u.accountId] } : {}),
      email,
      displayName: u.name || u.nickname || name,
      active: isActive(u),
      lastActive: known ? lastActive : null,
      activityKnown: known,
      ...(known ? { products } : {}),
      created: timestamp(u.addedToOrg, `user ${name}: addedToOrg`),
      directory: { id: dir, name: dirName.get(dir) ?? dir, readOnly: false },
      groups: uniqueNames(groups),
      ...(ro.length > 0 ? { readOnly: ro } : {}),
      // Apps (bots, integrations) are not people: inactivity rules never touch them.
      ...(u.accountType === 'app' ? { service: true } : {}),
    };
  });
  return {
    formatVersion: 2,
    platform: 'cloud',
    instance: meta.instance,
    takenAt: meta.takenAt,
    // An organisation API key belongs to no user: protect the automation's own accounts with protect.users.
    self: null,
    admins: adminSets(reads.users),
    capabilities: meta.capabilities,
    activity: reads.activity,
    directories: reads.directories.map((d) => d.name),
    allGroups: uniqueNames(reads.groups.map((g) => g.group.name)).sort((a, b) =>
      canonical(a).localeCompare(canonical(b)),
    ),
    users: users.sort((a, b) => compareNames(a.name, b.name)),
    groups: read.map(groupOf).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

function adminSets(users: readonly ListedUser[]): AdminSet[] {
  return ADMIN_ROLES.map((role) => ({
    label: `role ${role}`,
    group: null,
    members: users.filter((l) => l.user.platformRoles?.includes(role)).map((l) => l.user.accountId),
  })).filter((s) => s.members.length > 0);
}
