// The Jira DC REST v2 routes the sandbox models, with who may call them and since which version.
// Anything not listed here answers 501 naming the method and path (see pipeline.ts).
import { json, type Reply, type Route, type RouteContext } from '../../reply.ts';
import { jiraDateTime, jiraError } from './errors.ts';
import * as groups from './groups.ts';
import { applicationRoles as rolesIn, roleUserCount, type ApplicationRoleRecord } from './records.ts';
import * as users from './users.ts';
import { traitsOf, traits, type JiraVersion } from './versions.ts';

function serverInfo(ctx: RouteContext): Reply {
  const t = traitsOf(ctx);
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
  const userCount = roleUserCount(ctx.store, role);
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
    rolesIn(ctx.store).map((r) => roleBean(ctx, r)),
  );
}

function applicationRole(ctx: RouteContext): Reply {
  const key = decodeURIComponent(ctx.path.slice('/rest/api/2/applicationrole/'.length));
  const role = rolesIn(ctx.store).find((r) => r.key === key);
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
    available: (v) => traits(v as JiraVersion).userList,
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
