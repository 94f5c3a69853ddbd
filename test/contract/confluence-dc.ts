// Confluence Data Center in the contract suite: activity and emails come from admin/users/list/active
// (licensed, enabled users who logged in; lastLogin from 10.2), group/member lists direct members.
import type { ContractFixture } from './fixture.ts';
import {
  CONFLUENCE_ADMIN_GROUP,
  CONFLUENCE_USERS_GROUP,
  startSandbox,
  type SandboxVersion,
} from '../../src/sandbox/index.ts';
import { confluenceTraits } from '../../src/sandbox/products/confluence-dc/versions.ts';
import { NOW } from './org.ts';

export const confluenceDcFixture: ContractFixture = {
  platform: 'confluence-dc',
  versions: ['8.5', '10.2'],
  accessGroup: CONFLUENCE_USERS_GROUP,
  adminGroup: CONFLUENCE_ADMIN_GROUP,
  start: (version, scenario, options) =>
    startSandbox({
      platform: 'confluence-dc',
      version: version as SandboxVersion,
      now: NOW,
      clock: () => NOW.getTime(),
      scenario,
      ...options,
    }),
  credentials: (sb) => ({ token: sb.credentials.token }),
  deadCredentials: (sb) => [
    { label: 'a bad token', credentials: { token: 'not-a-valid-token' } },
    { label: 'a bad Basic password', credentials: { username: sb.credentials.username, password: 'wrong' } },
  ],
  readingRequests: [],
  pagedReads: (version) => [
    '/rest/api/user/list',
    '/rest/api/group',
    ...(confluenceTraits(version).activeUserList ? ['/rest/api/admin/users/list/active'] : []),
  ],
  expectedUser: (sb, u, accessGroups) => {
    const traits = confluenceTraits(sb.version);
    const store = sb.store;
    // "Can use" (confluence-users or confluence-administrators), enabled, logged in: on the active list.
    const canUse = u.active && store.inAnyGroup(u, [CONFLUENCE_USERS_GROUP, CONFLUENCE_ADMIN_GROUP]);
    const listed = traits.activeUserList && canUse && u.lastLogin !== null;
    const seat = accessGroups.length > 0 ? accessGroups : [CONFLUENCE_USERS_GROUP];
    const licensed = u.active && seat.some((g) => store.isDirectMember(g, u));
    const activity = !traits.lastLoginExpansion
      ? { lastActive: null, activityKnown: false }
      : listed
        ? { lastActive: u.lastLogin, activityKnown: true }
        : licensed
          ? { lastActive: null, activityKnown: true }
          : { lastActive: null, activityKnown: false };
    return {
      id: u.key,
      name: u.name,
      email: listed ? u.email || null : null,
      displayName: u.displayName,
      active: u.active,
      ...activity,
      created: null,
    };
  },
  members: (store, group) => store.memberNames(group),
  admins: (store) => [{ group: CONFLUENCE_ADMIN_GROUP, members: store.memberNames(CONFLUENCE_ADMIN_GROUP) }],
  readOnlyKnownBeforeApply: { users: false, groups: false },
  // An administrator through a group nested in confluence-administrators (group/member lists direct members).
  lastAdmin: (scenario) => ({
    scenario: {
      ...scenario,
      groups: [
        ...(scenario.groups ?? []),
        { name: 'sysadmins' },
        { name: CONFLUENCE_ADMIN_GROUP, children: ['sysadmins'] },
      ],
      users: [
        { name: 'admin', displayName: 'Administrator', groups: ['sysadmins', CONFLUENCE_USERS_GROUP] },
        ...scenario.users,
      ],
    },
    group: CONFLUENCE_ADMIN_GROUP,
  }),
};
