// The Confluence DC REST routes the sandbox models, with who may call them and since which version.
// Anything not listed answers 501 naming the method and path (see pipeline.ts).
import { json, pathParam, type Reply, type Route, type RouteContext } from '../../reply.ts';
import type { UserRecord } from '../../store.ts';
import { ADMIN_USER, ADMIN_USER_STATE, deleteUser, listActiveUsers, setEnabled } from './admin.ts';
import { confluenceError } from './errors.ts';
import {
  ADMIN_GROUP_PATH,
  changeMembership,
  createGroup,
  deleteGroup,
  getGroup,
  groupMembers,
  listGroups,
  MEMBERSHIP,
} from './groups.ts';
import { manifest, serverInformation } from './info.ts';
import { taskStatus } from './longtasks.ts';
import type { ConfluenceState } from './state.ts';
import { anonymousUser, currentUser, getUser, listUsers, memberOf } from './users.ts';
import { confluenceTraits } from './versions.ts';

const LONG_TASK = /^\/rest\/api\/longtask\/([^/]+)$/;

function getTask(state: ConfluenceState) {
  return (ctx: RouteContext): Reply => {
    const id = pathParam(ctx.path, LONG_TASK);
    const caller = ctx.caller as UserRecord;
    const task = state.tasks.poll(id, caller, state.isAdmin(caller), ctx.now);
    return task ? json(200, taskStatus(task, ctx.now)) : confluenceError(404, `No task found with id: ${id}`);
  };
}

export function confluenceRoutes(state: ConfluenceState): Route[] {
  return [
    { method: 'GET', path: '/rest/applinks/1.0/manifest', access: 'anonymous', handle: manifest },
    {
      method: 'GET',
      path: '/rest/api/server-information',
      access: 'user',
      available: (v) => confluenceTraits(v).serverInformation,
      handle: serverInformation,
    },
    { method: 'GET', path: '/rest/api/user', access: 'user', handle: getUser },
    { method: 'GET', path: '/rest/api/user/current', access: 'anonymous', handle: currentUser(state) },
    { method: 'GET', path: '/rest/api/user/anonymous', access: 'anonymous', handle: anonymousUser(state) },
    { method: 'GET', path: '/rest/api/user/list', access: 'user', handle: listUsers },
    { method: 'GET', path: '/rest/api/user/memberof', access: 'user', handle: memberOf },
    { method: 'GET', path: '/rest/api/group', access: 'user', handle: listGroups },
    { method: 'GET', path: /^\/rest\/api\/group\/[^/]+$/, access: 'user', handle: getGroup },
    { method: 'GET', path: /^\/rest\/api\/group\/[^/]+\/member$/, access: 'user', handle: groupMembers },
    { method: 'POST', path: '/rest/api/admin/group', access: 'admin', handle: createGroup },
    { method: 'DELETE', path: ADMIN_GROUP_PATH, access: 'admin', handle: deleteGroup },
    { method: 'PUT', path: MEMBERSHIP, access: 'admin', handle: changeMembership },
    { method: 'DELETE', path: MEMBERSHIP, access: 'admin', handle: changeMembership },
    { method: 'PUT', path: ADMIN_USER_STATE, access: 'admin', handle: setEnabled },
    { method: 'DELETE', path: ADMIN_USER, access: 'admin', handle: deleteUser(state) },
    {
      method: 'GET',
      path: '/rest/api/admin/users/list/active',
      access: 'admin',
      available: (v) => confluenceTraits(v).activeUserList,
      handle: listActiveUsers(state),
    },
    { method: 'GET', path: LONG_TASK, access: 'user', handle: getTask(state) },
  ];
}
