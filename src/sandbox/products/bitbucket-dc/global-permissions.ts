// Bitbucket's global permissions (the DC OpenAPI's PermissionManagementService; ADMIN or higher may call
// them): GET admin/permissions/users|groups?filter (who holds a permission directly: {user|group,
// permission}, by name), PUT …?name=&permission= (204; name repeats), DELETE …?name= (revokes every global
// permission of the user or group; 204, also when there was none). The rules of the spec: a caller grants
// at most its own permission (401 otherwise), never changes someone with a higher permission than its own,
// and never lowers its own (409).
import { json, type Reply, type RouteContext } from '../../reply.ts';
import type { UserRecord } from '../../store.ts';
import { applicationUser, byName, matchesFilter, page } from './beans.ts';
import { bitbucketError, EXCEPTIONS, noSuchGroup, noSuchUser } from './errors.ts';
import { type GlobalPermission, isGlobalPermission, rank, recordsOf } from './records.ts';

const conflict = (message: string): Reply => bitbucketError(409, message, EXCEPTIONS.permission);

export function listUserPermissions(ctx: RouteContext): Reply {
  const entries = recordsOf(ctx.store)
    .usersWithPermission()
    .filter((e) => matchesFilter(ctx, e.user.name))
    .sort((a, b) => byName(a.user, b.user));
  return json(
    200,
    page(ctx, entries, (e) => ({ user: applicationUser(ctx, e.user), permission: e.permission })),
  );
}

export function listGroupPermissions(ctx: RouteContext): Reply {
  const entries = recordsOf(ctx.store)
    .groupsWithPermission()
    .filter((e) => matchesFilter(ctx, e.group));
  return json(
    200,
    page(ctx, entries, (e) => ({ group: { name: e.group }, permission: e.permission })),
  );
}

function permissionParam(ctx: RouteContext): GlobalPermission | Reply {
  const p = ctx.query.get('permission') ?? '';
  if (isGlobalPermission(p)) return p;
  return bitbucketError(
    400,
    `${p || '(none)'} is not a global permission.`,
    EXCEPTIONS.validation,
    'permission',
  );
}

function names(ctx: RouteContext): string[] | Reply {
  const all = ctx.query.getAll('name').filter(Boolean);
  return all.length > 0 ? all : bitbucketError(400, 'A name is required.', EXCEPTIONS.validation, 'name');
}

const isReply = (x: unknown): x is Reply => typeof x === 'object' && x !== null && 'status' in x;

/** What setting a permission starts with: the permission and names asked for, and no grant above the caller's own. */
function grantRequest(ctx: RouteContext):
  | Reply
  | {
      permission: GlobalPermission;
      wanted: string[];
      records: ReturnType<typeof recordsOf>;
      caller: UserRecord;
      mine: number;
    } {
  const permission = permissionParam(ctx);
  if (isReply(permission)) return permission;
  const wanted = names(ctx);
  if (isReply(wanted)) return wanted;
  const records = recordsOf(ctx.store);
  const caller = ctx.caller as UserRecord;
  const mine = rank(records.effective(caller));
  if (rank(permission) > mine)
    return bitbucketError(
      401,
      `You cannot grant ${permission}: it is higher than your own permission.`,
      EXCEPTIONS.authorisation,
    );
  return { permission, wanted, records, caller, mine };
}

export function setUserPermission(ctx: RouteContext): Reply {
  const request = grantRequest(ctx);
  if (isReply(request)) return request;
  const { permission, wanted, records, caller, mine } = request;
  const users: UserRecord[] = [];
  for (const name of wanted) {
    const user = ctx.store.userByName(name);
    if (!user) return noSuchUser(name);
    if (rank(records.effective(user)) > mine)
      return conflict(`You cannot change the permission of ${user.name}: it is higher than yours.`);
    const after = Math.max(rank(records.effective(user, { direct: true })), rank(permission));
    if (user.id === caller.id && after < mine) return conflict('You cannot lower your own permission.');
    users.push(user);
  }
  for (const user of users) records.setDirect(user, permission);
  return { status: 204 };
}

export function revokeUserPermissions(ctx: RouteContext): Reply {
  const name = ctx.query.get('name');
  if (!name) return bitbucketError(400, 'A name is required.', EXCEPTIONS.validation, 'name');
  const user = ctx.store.userByName(name);
  if (!user) return noSuchUser(name);
  const records = recordsOf(ctx.store);
  const caller = ctx.caller as UserRecord;
  const mine = rank(records.effective(caller));
  if (rank(records.effective(user)) > mine)
    return conflict(`You cannot change the permission of ${user.name}: it is higher than yours.`);
  if (user.id === caller.id && rank(records.effective(user, { direct: true })) < mine)
    return conflict('You cannot lower your own permission.');
  records.setDirect(user, null);
  return { status: 204 };
}

export function setGroupPermission(ctx: RouteContext): Reply {
  const request = grantRequest(ctx);
  if (isReply(request)) return request;
  const { permission, wanted, records, caller, mine } = request;
  const groups: string[] = [];
  for (const name of wanted) {
    const group = ctx.store.group(name);
    if (!group) return noSuchGroup(name);
    if (rank(records.groupPermission(group.name)) > mine)
      return conflict(`You cannot change the permission of group ${group.name}: it is higher than yours.`);
    const member = ctx.store.inAnyGroup(caller, [group.name]);
    const after = Math.max(
      rank(records.effective(caller, { group: group.name })),
      member ? rank(permission) : 0,
    );
    if (after < mine) return conflict('You cannot lower your own permission.');
    groups.push(group.name);
  }
  for (const g of groups) records.setGroupPermission(g, permission);
  return { status: 204 };
}

export function revokeGroupPermissions(ctx: RouteContext): Reply {
  const name = ctx.query.get('name');
  if (!name) return bitbucketError(400, 'A name is required.', EXCEPTIONS.validation, 'name');
  const group = ctx.store.group(name);
  if (!group) return noSuchGroup(name);
  const records = recordsOf(ctx.store);
  const caller = ctx.caller as UserRecord;
  const mine = rank(records.effective(caller));
  if (rank(records.groupPermission(group.name)) > mine)
    return conflict(`You cannot change the permission of group ${group.name}: it is higher than yours.`);
  if (rank(records.effective(caller, { group: group.name })) < mine)
    return conflict('You cannot lower your own permission.');
  records.setGroupPermission(group.name, null);
  return { status: 204 };
}
