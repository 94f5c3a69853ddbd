// The Jira DC REST v2 routes the sandbox models, with who may call them and since which version.
// Anything not listed here answers 501 naming the method and path (see server.ts).
import { jiraDateTime, jiraError, json, type Reply, type RouteContext } from '../reply.ts';
import type { ApplicationRoleRecord } from '../store.ts';
import { traits, type VersionTraits } from '../versions.ts';
import * as groups from './jira-groups.ts';
import * as users from './jira-users.ts';

/** anonymous: anyone (bad credentials included); user: any logged-in account; admin: Jira administrators. */
export type Access = 'anonymous' | 'user' | 'admin' | 'application';

export interface Route {
  method: string;
  path: string | RegExp;
  access: Access;
  /** false = the emulated version has no such resource (answered 404 as Jira does). */
  available?: (t: VersionTraits) => boolean;
  handle: (ctx: RouteContext) => Reply;
}

function serverInfo(ctx: RouteContext): Reply {
  const t = traits(ctx.version);
  return json(200, {
    baseUrl: ctx.base,
    version: t.full,
    versionNumbers: t.full.split('.').map(Number),
    deploymentType: 'Server',
    buildNumber: t.buildNumber,
    buildDate: t.buildDate,
    serverTime: jiraDateTime(ctx.now),
    scmInfo: 'f3c1d2e4b5a697887766554433221100ffeeddcc',
    serverTitle: 'Jira',
  });
}

function roleBean(ctx: RouteContext, role: ApplicationRoleRecord): Record<string, unknown> {
  const userCount = ctx.store.roleUserCount(role);
  const unlimited = role.numberOfSeats < 0;
  return {
    key: role.key,
    groups: [...role.groups],
    name: role.name,
    defaultGroups: [...role.defaultGroups],
    selectedByDefault: role.selectedByDefault,
    defined: true,
    numberOfSeats: role.numberOfSeats,
    remainingSeats: unlimited ? -1 : role.numberOfSeats - userCount,
    userCount,
    userCountDescription: `${userCount} ${userCount === 1 ? 'user' : 'users'}`,
    hasUnlimitedSeats: unlimited,
    platform: role.platform,
  };
}

function applicationRoles(ctx: RouteContext): Reply {
  return json(
    200,
    ctx.store.applicationRoles.map((r) => roleBean(ctx, r)),
  );
}

function applicationRole(ctx: RouteContext): Reply {
  const key = decodeURIComponent(ctx.path.slice('/rest/api/2/applicationrole/'.length));
  const role = ctx.store.applicationRoles.find((r) => r.key === key);
  return role
    ? json(200, roleBean(ctx, role))
    : jiraError(404, [`The role with key '${key}' does not exist.`]);
}

export const JIRA_ROUTES: Route[] = [
  { method: 'GET', path: '/rest/api/2/serverInfo', access: 'anonymous', handle: serverInfo },
  { method: 'GET', path: '/rest/api/2/myself', access: 'user', handle: users.getMyself },
  { method: 'GET', path: '/rest/api/2/user', access: 'user', handle: users.getUser },
  { method: 'PUT', path: '/rest/api/2/user', access: 'admin', handle: users.updateUser },
  { method: 'POST', path: '/rest/api/2/user', access: 'admin', handle: users.createUser },
  { method: 'DELETE', path: '/rest/api/2/user', access: 'admin', handle: users.deleteUser },
  // Anonymous callers (and dead credentials) get an empty list, as Jira answers without "Browse users".
  { method: 'GET', path: '/rest/api/2/user/search', access: 'anonymous', handle: users.searchUsers },
  {
    method: 'GET',
    path: '/rest/api/2/user/list',
    access: 'user',
    available: (t) => t.userList,
    handle: users.listUsers,
  },
  {
    method: 'POST',
    path: '/rest/api/2/user/application',
    access: 'admin',
    handle: users.changeApplicationAccess,
  },
  {
    method: 'DELETE',
    path: '/rest/api/2/user/application',
    access: 'admin',
    handle: users.changeApplicationAccess,
  },
  { method: 'GET', path: '/rest/api/2/group', access: 'admin', handle: groups.getGroup },
  { method: 'POST', path: '/rest/api/2/group', access: 'admin', handle: groups.createGroup },
  { method: 'DELETE', path: '/rest/api/2/group', access: 'admin', handle: groups.deleteGroup },
  { method: 'GET', path: '/rest/api/2/group/member', access: 'admin', handle: groups.getGroupMembers },
  { method: 'POST', path: '/rest/api/2/group/user', access: 'admin', handle: groups.addUserToGroup },
  { method: 'DELETE', path: '/rest/api/2/group/user', access: 'admin', handle: groups.removeUserFromGroup },
  { method: 'GET', path: '/rest/api/2/groups/picker', access: 'user', handle: groups.pickGroups },
  { method: 'GET', path: '/rest/api/2/applicationrole', access: 'admin', handle: applicationRoles },
  {
    method: 'GET',
    path: /^\/rest\/api\/2\/applicationrole\/[^/]+$/,
    access: 'admin',
    handle: applicationRole,
  },
];
