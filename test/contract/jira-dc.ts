// Jira Data Center in the contract suite: REST v2 with the embedded-Crowd application for login times.
import type { ContractFixture } from './fixture.ts';
import { ADMIN_GROUP, SOFTWARE_GROUP, startSandbox, type SandboxVersion } from '../../src/sandbox/index.ts';
import { NOW } from './org.ts';

const SYSTEM_ADMINS = 'jira-system-administrators';

export const jiraDcFixture: ContractFixture = {
  platform: 'jira-dc',
  versions: ['9.12', '10.3'],
  accessGroup: SOFTWARE_GROUP,
  adminGroup: ADMIN_GROUP,
  start: (version, scenario, options) =>
    startSandbox({
      platform: 'jira-dc',
      version: version as SandboxVersion,
      now: NOW,
      clock: () => NOW.getTime(),
      scenario,
      ...options,
    }),
  credentials: (sb) => ({
    token: sb.credentials.token,
    appName: sb.credentials.appName,
    appPassword: sb.credentials.appPassword,
  }),
  deadCredentials: (sb) => [
    { label: 'a bad token', credentials: { token: 'not-a-valid-token' } },
    { label: 'a bad Basic password', credentials: { username: sb.credentials.username, password: 'wrong' } },
  ],
  readingRequests: [],
  pagedReads: (version) => [
    version === '9.12' ? '/rest/api/2/user/search' : '/rest/api/2/user/list',
    '/rest/api/2/group/member',
  ],
  // Login times and creation dates from the embedded Crowd; group/member lists nested members.
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
  members: (store, group) => store.memberNames(group, { nested: true }),
  admins: (store) =>
    [ADMIN_GROUP, SYSTEM_ADMINS]
      .filter((g) => store.group(g))
      .map((group) => ({ group, members: store.memberNames(group, { nested: true }) })),
  readOnlyKnownBeforeApply: { users: false, groups: false },
  // The driver reads jira-system-administrators as an admin set too; the credentials' account is not in it.
  lastAdmin: (scenario) => ({
    scenario: { ...scenario, groups: [...(scenario.groups ?? []), { name: SYSTEM_ADMINS }] },
    group: SYSTEM_ADMINS,
  }),
};
