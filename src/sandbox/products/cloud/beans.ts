// The organisation API's JSON as the sandbox answers it: users (with the expand options productAccess,
// groups, platformRoles), groups, directories, and cursor pages `{data, links: {self, prev, next}}` whose
// cursors are opaque. Page sizes: `limit` (default 50 users, 20 groups), at most 100, lowered by the
// sandbox's page cap.
import type { RouteContext } from '../../reply.ts';
import type { GroupRecord, UserRecord } from '../../store.ts';
import type { CloudRecords } from './records.ts';

export const MAX_LIMIT = 100;

export type Expand = 'productAccess' | 'groups' | 'platformRoles' | 'counts.resources';

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

/** The offset of a cursor; NaN for one the sandbox did not hand out. */
export function decodeCursor(cursor: unknown): number {
  if (cursor === undefined || cursor === null || cursor === '') return 0;
  if (typeof cursor !== 'string') return Number.NaN;
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : Number.NaN;
}

/** One page of `items` from `offset`, `limit` asked (capped); the cursor of the next page while more remain. */
export function cursorPage<T, R>(
  ctx: RouteContext,
  items: readonly T[],
  offset: number,
  limit: number,
  map: (item: T) => R,
): { data: R[]; links: { self: string | null; prev: string | null; next: string | null } } {
  const cap = Math.min(MAX_LIMIT, ctx.maxPageSize ?? Number.POSITIVE_INFINITY);
  const size = Math.max(1, Math.min(limit, cap));
  const slice = items.slice(offset, offset + size);
  const end = offset + slice.length;
  return {
    data: slice.map(map),
    links: {
      self: offset === 0 ? null : encodeCursor(offset),
      prev: offset === 0 ? null : encodeCursor(Math.max(0, offset - size)),
      next: end < items.length ? encodeCursor(end) : null,
    },
  };
}

/** active while the membership of the directory is; suspended once suspended; deactivated with the account. */
export function statusOf(records: CloudRecords, u: UserRecord): string {
  if (records.accountStatusOf(u) !== 'active') return 'deactivated';
  return u.active ? 'active' : 'suspended';
}

export function userJson(
  ctx: RouteContext,
  records: CloudRecords,
  u: UserRecord,
  expand: ReadonlySet<Expand>,
  productAccess: boolean,
): Record<string, unknown> {
  const dir = records.directoryId(u.directoryId);
  return {
    accountId: u.key,
    accountType: records.isApp(u) ? 'app' : 'atlassian',
    status: statusOf(records, u),
    accountStatus: records.accountStatusOf(u),
    membershipStatus: u.active ? 'active' : 'suspended',
    addedToOrg: u.created,
    name: u.displayName,
    nickname: u.name,
    email: u.email,
    emailVerified: true,
    claimStatus: 'managed',
    managementSource: records.synced(u) ? 'synced' : 'invited',
    mfaEnabled: false,
    ...(expand.has('platformRoles') ? { platformRoles: records.rolesOf(u) } : {}),
    ...(expand.has('productAccess') && productAccess
      ? {
          productAccess: records.activityOf(u).map(([key, at]) => ({
            key,
            id: records.siteId(key),
            ...(at ? { lastActiveTimestamp: at } : {}),
          })),
        }
      : {}),
    ...(expand.has('groups')
      ? {
          groups: ctx.store
            .groupsOf(u)
            .map((name) => ctx.store.group(name))
            .filter((g): g is GroupRecord => g !== undefined)
            .map((g) => ({ id: records.groupId(g), name: g.name, description: null })),
        }
      : {}),
    ...(expand.has('counts.resources') ? { counts: { resources: 0 } } : {}),
    links: { self: `${ctx.base}/admin/v2/orgs/${records.orgId}/directories/${dir}/users/${u.key}` },
  };
}

export function groupJson(ctx: RouteContext, records: CloudRecords, g: GroupRecord): Record<string, unknown> {
  const synced = records.groupSynced(g);
  const dir = records.directoryId(g.directoryId);
  return {
    id: records.groupId(g),
    name: g.name,
    description: null,
    directoryId: dir,
    externalSynced: synced,
    managedBy: synced ? 'external' : 'admins',
    managementAccess: { readable: true, modifiable: records.groupModifiable(g), deletable: !synced },
    links: {
      self: `${ctx.base}/admin/v2/orgs/${records.orgId}/directories/${dir}/groups/${records.groupId(g)}`,
    },
  };
}
