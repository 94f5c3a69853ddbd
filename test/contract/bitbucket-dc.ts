// Bitbucket Data Center in the contract suite: activity is lastAuthenticationTimestamp for everyone (never
// authenticated = null, known), no creation date; emails from admin/users; groups list direct members; the
// read-only LDAP user and group are known before apply (mutableGroups, deletable); administrators are the
// holders of ADMIN/SYS_ADMIN (the sandbox's account holds SYS_ADMIN directly); no deactivation over REST.
import type { ContractFixture } from './fixture.ts';
import {
  bitbucketRecords,
  STASH_USERS_GROUP,
  startSandbox,
  SYS_ADMINS_GROUP,
  type SandboxVersion,
} from '../../src/sandbox/index.ts';
import { NOW } from './org.ts';

const API = '/rest/api/1.0';

export const bitbucketDcFixture: ContractFixture = {
  platform: 'bitbucket-dc',
  versions: ['8.19', '10.0'],
  accessGroup: STASH_USERS_GROUP,
  adminGroup: SYS_ADMINS_GROUP,
  start: (version, scenario, options) =>
    startSandbox({
      platform: 'bitbucket-dc',
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
  pagedReads: () => [`${API}/admin/users`, `${API}/admin/groups`, `${API}/admin/groups/more-members`],
  readingRequests: [],
  expectedUser: (_sb, u) => ({
    id: u.key,
    name: u.name,
    email: u.email,
    displayName: u.displayName,
    active: u.active,
    lastActive: u.lastLogin,
    activityKnown: true,
    created: null,
  }),
  members: (store, group) => store.memberNames(group),
  // The sandbox's account holds SYS_ADMIN directly: an admin set of its own.
  admins: (store) => [
    {
      group: null,
      members: bitbucketRecords(store)
        .usersWithPermission()
        .filter((p) => p.permission === 'SYS_ADMIN')
        .map((p) => p.user.name)
        .sort(),
    },
  ],
  // mutableGroups / deletable of a user, deletable of a group.
  readOnlyKnownBeforeApply: { users: true, groups: true },
  // sys-admins grants SYS_ADMIN; the credentials' account is an administrator by its own permission.
  lastAdmin: (scenario) => ({
    scenario: {
      ...scenario,
      groups: [...(scenario.groups ?? []), { name: SYS_ADMINS_GROUP }],
      globalPermissions: { groups: { [SYS_ADMINS_GROUP]: 'SYS_ADMIN' } },
    },
    group: SYS_ADMINS_GROUP,
  }),
};
