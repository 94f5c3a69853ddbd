// Crowd Data Center in the contract suite: the usermanagement API as an application (required) and the admin
// API as an administrator (optional; given here, so each user's directory and what it allows are known
// before apply). group/user/direct lists direct members; the account behind the credentials is the
// administrator, a member of crowd-administrators.
import type { ContractFixture } from './fixture.ts';
import { CROWD_ADMIN_GROUP, startSandbox, type SandboxVersion } from '../../src/sandbox/index.ts';
import { JIRA_USERS_GROUP } from '../../src/sandbox/products/crowd/names.ts';
import { NOW } from './org.ts';

export const crowdFixture: ContractFixture = {
  platform: 'crowd',
  versions: ['5.3', '6.1'],
  accessGroup: JIRA_USERS_GROUP,
  adminGroup: CROWD_ADMIN_GROUP,
  start: (version, scenario, options) =>
    startSandbox({
      platform: 'crowd',
      version: version as SandboxVersion,
      now: NOW,
      clock: () => NOW.getTime(),
      scenario,
      ...options,
    }),
  credentials: (sb) => ({
    appName: sb.credentials.appName,
    appPassword: sb.credentials.appPassword,
    username: sb.credentials.username,
    password: sb.credentials.password,
  }),
  deadCredentials: (sb) => [
    {
      label: 'a bad application password',
      credentials: {
        appName: sb.credentials.appName,
        appPassword: 'wrong',
        username: sb.credentials.username,
        password: sb.credentials.password,
      },
    },
    {
      label: 'a bad administrator password',
      credentials: {
        appName: sb.credentials.appName,
        appPassword: sb.credentials.appPassword,
        username: sb.credentials.username,
        password: 'wrong',
      },
    },
  ],
  // The admin API's user search takes its filter as a POST body and only reads.
  readingRequests: ['POST /rest/admin/1.0/users/search'],
  pagedReads: () => [
    '/rest/usermanagement/1/search',
    '/rest/usermanagement/1/group/user/direct',
    '/rest/admin/1.0/users/search',
  ],
  expectedUser: (_sb, u) => ({
    id: u.key,
    name: u.name,
    email: u.email,
    displayName: u.displayName,
    active: u.active,
    lastActive: u.lastLogin,
    activityKnown: true,
    created: u.created,
  }),
  members: (store, group) => store.memberNames(group),
  admins: (store) => [{ group: CROWD_ADMIN_GROUP, members: store.memberNames(CROWD_ADMIN_GROUP) }],
  // The admin API tells each user's directory and what it allows; a group's directory only its write answer.
  readOnlyKnownBeforeApply: { users: true, groups: false },
  // An administrator through a group nested in crowd-administrators (group/user/direct lists direct members).
  lastAdmin: (scenario) => ({
    scenario: {
      ...scenario,
      groups: [
        ...(scenario.groups ?? []),
        { name: 'sysadmins' },
        { name: CROWD_ADMIN_GROUP, children: ['sysadmins'] },
      ],
      users: [
        { name: 'admin', displayName: 'Administrator', groups: ['sysadmins', JIRA_USERS_GROUP] },
        ...scenario.users,
      ],
    },
    group: CROWD_ADMIN_GROUP,
  }),
};
