// The Bitbucket DC REST routes the sandbox models (below /rest/api/1.0; /rest/api/latest is the same), with
// who may call them: `user` = LICENSED_USER or higher, `admin` = ADMIN or higher. Anything not listed
// answers 501 naming the method and path (see pipeline.ts).
import type { Route } from '../../reply.ts';
import {
  listGroupPermissions,
  listUserPermissions,
  revokeGroupPermissions,
  revokeUserPermissions,
  setGroupPermission,
  setUserPermission,
} from './global-permissions.ts';
import { createGroup, deleteGroup, groupMembers, listGroups } from './groups.ts';
import { applicationProperties, userDirectories } from './info.ts';
import { addGroups, deleteUser, listUsers, removeGroup, userGroups } from './users.ts';

const API = '/rest/api/1.0';

export const BITBUCKET_ROUTES: Route[] = [
  {
    method: 'GET',
    path: `${API}/application-properties`,
    access: 'anonymous',
    handle: applicationProperties,
  },
  { method: 'GET', path: `${API}/admin/users`, access: 'user', handle: listUsers },
  { method: 'DELETE', path: `${API}/admin/users`, access: 'admin', handle: deleteUser },
  { method: 'GET', path: `${API}/admin/users/more-members`, access: 'user', handle: userGroups },
  { method: 'POST', path: `${API}/admin/users/add-groups`, access: 'admin', handle: addGroups },
  { method: 'POST', path: `${API}/admin/users/remove-group`, access: 'admin', handle: removeGroup },
  { method: 'GET', path: `${API}/admin/groups`, access: 'user', handle: listGroups },
  { method: 'POST', path: `${API}/admin/groups`, access: 'admin', handle: createGroup },
  { method: 'DELETE', path: `${API}/admin/groups`, access: 'admin', handle: deleteGroup },
  { method: 'GET', path: `${API}/admin/groups/more-members`, access: 'user', handle: groupMembers },
  { method: 'GET', path: `${API}/admin/user-directories`, access: 'admin', handle: userDirectories },
  { method: 'GET', path: `${API}/admin/permissions/users`, access: 'admin', handle: listUserPermissions },
  { method: 'PUT', path: `${API}/admin/permissions/users`, access: 'admin', handle: setUserPermission },
  {
    method: 'DELETE',
    path: `${API}/admin/permissions/users`,
    access: 'admin',
    handle: revokeUserPermissions,
  },
  { method: 'GET', path: `${API}/admin/permissions/groups`, access: 'admin', handle: listGroupPermissions },
  { method: 'PUT', path: `${API}/admin/permissions/groups`, access: 'admin', handle: setGroupPermission },
  {
    method: 'DELETE',
    path: `${API}/admin/permissions/groups`,
    access: 'admin',
    handle: revokeGroupPermissions,
  },
];
