// The Crowd routes the sandbox models: the usermanagement API for applications (/rest/usermanagement/1,
// `latest` mapped to 1) and the two admin API resources the driver reads with an administrator's
// credentials. Anything else answers 501 naming the method and path.
import type { Route } from '../../reply.ts';
import { getDirectory, searchUsers } from './admin.ts';
import {
  addGroupMember,
  addUserToGroup,
  createGroup,
  deleteGroup,
  getGroup,
  groupUsers,
  removeMembership,
  userGroups,
} from './memberships.ts';
import { search } from './search.ts';
import type { CrowdState } from './state.ts';
import {
  cookieConfig,
  createUser,
  deleteUser,
  getAttributes,
  getUser,
  mailPasswordReset,
  updateUser,
} from './users.ts';

const UM = '/rest/usermanagement/1';

export function crowdRoutes(state: CrowdState): Route[] {
  const app = (method: string, path: string, handle: Route['handle']): Route => ({
    method,
    path: `${UM}${path}`,
    access: 'application',
    handle,
  });
  return [
    app('GET', '/user', getUser(state)),
    app('PUT', '/user', updateUser(state)),
    app('POST', '/user', createUser(state)),
    app('DELETE', '/user', deleteUser(state)),
    app('GET', '/user/attribute', getAttributes(state)),
    app('POST', '/user/mail/password', mailPasswordReset(state)),
    app('GET', '/user/group/direct', userGroups(state)),
    app('POST', '/user/group/direct', addUserToGroup(state)),
    app('DELETE', '/user/group/direct', removeMembership(state)),
    app('GET', '/group', getGroup(state)),
    app('POST', '/group', createGroup(state)),
    app('DELETE', '/group', deleteGroup(state)),
    app('GET', '/group/user/direct', groupUsers(state)),
    app('POST', '/group/user/direct', addGroupMember(state)),
    app('DELETE', '/group/user/direct', removeMembership(state)),
    app('GET', '/search', search(state)),
    app('POST', '/search', search(state)),
    app('GET', '/config/cookie', cookieConfig(state)),
    { method: 'POST', path: '/rest/admin/1.0/users/search', access: 'admin', handle: searchUsers(state) },
    {
      method: 'GET',
      path: /^\/rest\/admin\/1\.0\/directory\/[^/]+$/,
      access: 'admin',
      handle: getDirectory(state),
    },
  ];
}
