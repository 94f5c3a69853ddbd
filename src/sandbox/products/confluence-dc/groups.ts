// Confluence DC groups (atlassian-api.md §3, §10): GET group (paged), group/{name}, group/{name}/member
// (direct members, disabled included), and PUT/DELETE user/{username}/group/{groupName}: idempotent 204.
// A read-only directory (LDAP) is the quirk: a membership change it does not allow also answers 204 and
// changes nothing, so a client must read back (decompiled 8.x behaviour, UNCONFIRMED on 9/10).
import { json, pathParam, type Reply, type RouteContext } from '../../reply.ts';
import type { GroupRecord, UserRecord } from '../../store.ts';
import { expandSet, groupBean, page, paging, person } from './beans.ts';
import { confluenceError } from './errors.ts';

const GROUP = /^\/rest\/api\/group\/([^/]+)$/;
const MEMBERS = /^\/rest\/api\/group\/([^/]+)\/member$/;
export const MEMBERSHIP = /^\/rest\/api\/user\/([^/]+)\/group\/([^/]+)$/;

const byName = (a: UserRecord, b: UserRecord): number =>
  a.name.toLowerCase().localeCompare(b.name.toLowerCase());

function groupOr404(ctx: RouteContext, name: string): GroupRecord | Reply {
  return ctx.store.group(name) ?? confluenceError(404, `No group found with name: ${name}`);
}

const isReply = (x: GroupRecord | Reply): x is Reply => 'status' in x;

export function listGroups(ctx: RouteContext): Reply {
  const { start, limit } = paging(ctx, 200, 200);
  const groups = ctx.store.groups();
  const results = groups.slice(start, start + limit).map((g) => groupBean(ctx, g.name));
  return json(200, page(ctx, results, start, limit, groups.length));
}

export function getGroup(ctx: RouteContext): Reply {
  const group = groupOr404(ctx, pathParam(ctx.path, GROUP));
  return isReply(group) ? group : json(200, groupBean(ctx, group.name));
}

export function groupMembers(ctx: RouteContext): Reply {
  const group = groupOr404(ctx, pathParam(ctx.path, MEMBERS));
  if (isReply(group)) return group;
  const { start, limit } = paging(ctx, 200, 200);
  const expand = expandSet(ctx.query.get('expand'));
  const members = ctx.store.membersOf(group.name).sort(byName);
  const results = members.slice(start, start + limit).map((u) => person(ctx, u, expand));
  return json(200, page(ctx, results, start, limit, members.length));
}

/** Whether the directories involved allow the membership change (read-only LDAP, unless local groups). */
function writable(ctx: RouteContext, group: GroupRecord, user: UserRecord): boolean {
  const userDir = ctx.store.directory(user.directoryId);
  const groupDir = ctx.store.directory(group.directoryId);
  if (groupDir?.readOnly) return false;
  return !userDir?.readOnly || userDir.localGroups;
}

/** PUT (add) and DELETE (remove) user/{username}/group/{groupName}. */
export function changeMembership(ctx: RouteContext): Reply {
  const username = pathParam(ctx.path, MEMBERSHIP, 1);
  const user = ctx.store.userByName(username);
  if (!user) return confluenceError(404, `No user found with username: ${username}`);
  const group = groupOr404(ctx, pathParam(ctx.path, MEMBERSHIP, 2));
  if (isReply(group)) return group;
  if (!writable(ctx, group, user)) return { status: 204 };
  const member = ctx.store.isDirectMember(group.name, user);
  if (ctx.method === 'PUT' && !member) ctx.store.addMember(group.name, user);
  if (ctx.method === 'DELETE' && member) ctx.store.removeMember(group.name, user);
  return { status: 204 };
}

const ADMIN_GROUP_PATH = /^\/rest\/api\/admin\/group\/([^/]+)$/;

/** POST admin/group `{type: "group", name}`: 201 with the group; an existing name is a 409. */
export function createGroup(ctx: RouteContext): Reply {
  const name = (ctx.body as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || name.trim() === '') return confluenceError(400, 'A group name is required');
  if (ctx.store.group(name)) return confluenceError(409, `Group already exists: ${name}`);
  ctx.store.addGroup(name.trim(), 1);
  return json(201, groupBean(ctx, name.trim()));
}

/** DELETE admin/group/{name}: 204; 404 for a group that does not exist. */
export function deleteGroup(ctx: RouteContext): Reply {
  const group = groupOr404(ctx, pathParam(ctx.path, ADMIN_GROUP_PATH));
  if (isReply(group)) return group;
  ctx.store.deleteGroup(group.name);
  return { status: 204 };
}

export { ADMIN_GROUP_PATH };
