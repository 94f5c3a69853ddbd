// An Atlassian Cloud organisation in the contract suite: the organisation API key belongs to no account
// (the automation's account is protected by protect.users); people are named by email; activity is the
// latest lastActiveTimestamp of their products (the sandbox records a user's last login in Jira), never used
// = null, known; addedToOrg is the creation date; the users/search expand lists direct groups; users of the
// read-only directory are synced from an identity provider and its groups externalSynced, both known before
// apply; administrators are holders of the org-admin and site-admin roles (the credentials' account is an
// org admin through org-admins). The deprecated list endpoints are retired: the driver never needs them.
import type { ContractFixture } from './fixture.ts';
import {
  CLOUD_JIRA_GROUP,
  CLOUD_ORG_ID,
  cloudDirectoryId,
  cloudRecords,
  ORG_ADMINS_GROUP,
  SITE_ADMINS_GROUP,
  startSandbox,
  type SandboxVersion,
} from '../../src/sandbox/index.ts';
import { NOW } from './org.ts';

const ORG = `/admin/v2/orgs/${CLOUD_ORG_ID}`;

export const cloudFixture: ContractFixture = {
  platform: 'cloud',
  versions: ['v2'],
  instanceKeys: `org: ${CLOUD_ORG_ID}`,
  accessGroup: CLOUD_JIRA_GROUP,
  adminGroup: ORG_ADMINS_GROUP,
  start: (version, scenario, options) =>
    startSandbox({
      platform: 'cloud',
      version: version as SandboxVersion,
      now: NOW,
      clock: () => NOW.getTime(),
      scenario,
      retireDeprecated: true,
      ...options,
    }),
  credentials: (sb) => ({ token: sb.credentials.token }),
  deadCredentials: () => [{ label: 'a bad API key', credentials: { token: 'not-a-valid-api-key' } }],
  // The internal directory's users and groups (the paths hold the organisation's and directory's ids).
  pagedReads: () => {
    const dir = (id: number) => `${ORG}/directories/${cloudDirectoryId(CLOUD_ORG_ID, id)}`;
    return [`${dir(1)}/users/search`, `${dir(1)}/groups/search`];
  },
  readingRequests: [/^POST \/admin\/v2\/orgs\/[^/]+\/directories\/[^/]+\/(users|groups)\/search$/],
  ref: (username) => `${username}@example.com`,
  selfProtected: false,
  expectedUser: (sb, u) => {
    const activity = cloudRecords(sb.store)
      .activityOf(u)
      .map(([, at]) => at)
      .filter((at): at is string => at !== null)
      .sort();
    return {
      id: u.key,
      name: u.email ?? u.key,
      email: u.email,
      displayName: u.displayName,
      active: u.active,
      lastActive: activity.at(-1) ?? null,
      activityKnown: true,
      created: u.created,
    };
  },
  members: (store, group) =>
    store
      .membersOf(group)
      .map((u) => u.email ?? u.key)
      .sort(),
  admins: (store) => {
    const records = cloudRecords(store);
    return ['atlassian/org-admin', 'atlassian/site-admin']
      .map((role) =>
        store
          .users()
          .filter((u) => records.rolesOf(u).includes(role))
          .map((u) => u.email ?? u.key)
          .sort(),
      )
      .filter((members) => members.length > 0)
      .map((members) => ({ group: null, members }));
  },
  readOnlyKnownBeforeApply: { users: true, groups: true },
  // The credentials' account is an org admin; site-admins grants the site-admin role, a set of its own.
  lastAdmin: (scenario) => ({
    scenario,
    group: SITE_ADMINS_GROUP,
    set: { group: null, label: 'role atlassian/site-admin' },
  }),
};
